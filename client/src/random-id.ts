/** A random id: a UUID where `crypto.randomUUID` exists (browsers, Node 20, edge runtimes). */
export const randomId = () =>
  typeof crypto !== 'undefined' && 'randomUUID' in crypto
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
