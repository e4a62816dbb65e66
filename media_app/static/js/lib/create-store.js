// A zustand-shaped store: `useX.getState()`, `useX.setState(partial | fn)`, `useX.subscribe(listener)`,
// so `useMediaStore.getState().mediaItems` works from DevTools as in the original app.

export function createStore(initializer) {
  let state;
  const listeners = new Set();

  const getState = () => state;

  const setState = (partial, replace = false) => {
    const next = typeof partial === "function" ? partial(state) : partial;
    if (next === state || next === undefined) return;
    const previous = state;
    state = replace ? next : { ...state, ...next };
    for (const listener of listeners) listener(state, previous);
  };

  const subscribe = (listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  };

  const useStore = (selector = (s) => s) => selector(state);
  Object.assign(useStore, { getState, setState, subscribe });
  state = initializer(setState, getState);
  return useStore;
}
