import type { Observable } from 'dexie';

/** A Dexie live query as reactive state: `value` updates whenever IndexedDB changes. */
export class Live<T> {
  value = $state<T>() as T;
  error = $state<unknown>(undefined);

  constructor(observable: Observable<T>, initial: T) {
    this.value = initial;
    $effect(() => {
      const subscription = observable.subscribe({
        next: (v) => (this.value = v),
        error: (e: unknown) => (this.error = e),
      });
      return () => subscription.unsubscribe();
    });
  }
}
