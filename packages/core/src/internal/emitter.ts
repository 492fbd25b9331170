/** A minimal typed event emitter; a throwing listener never breaks the others or the SDK. */
export function createEmitter<Events extends object>(onListenerError: (error: unknown) => void) {
  const listeners = new Map<keyof Events, Set<(payload: never) => void>>();
  return {
    on<K extends keyof Events>(event: K, listener: (payload: Events[K]) => void): () => void {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as (payload: never) => void);
      return () => {
        set.delete(listener as (payload: never) => void);
      };
    },
    emit<K extends keyof Events>(event: K, payload: Events[K]): void {
      for (const listener of [...(listeners.get(event) ?? [])]) {
        try {
          (listener as (payload: Events[K]) => void)(payload);
        } catch (error) {
          onListenerError(error);
        }
      }
    },
    clear(): void {
      listeners.clear();
    },
  };
}
