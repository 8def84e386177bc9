/** Display helpers for the views: the home of every formatter is core/format; this re-exports it. */
export {
  formatBytes,
  formatCell,
  formatCount,
  formatCountShare,
  formatDate,
  formatDistinct,
  formatDuration,
  formatList,
  formatMoney,
  formatNumber,
  formatPercentPoints,
  formatShare,
  formatTimestamp,
  plural,
  pluralWord,
} from '../core/format';
