/// <reference lib="webworker" />
import { readAuditFileReply } from './import-audit';

// Parsing and validating a shared file off the main thread: a hostile file can stall this worker, never the page.
self.onmessage = async (event: MessageEvent<{ file: File }>) => {
  self.postMessage(await readAuditFileReply(event.data.file));
};
