/** Something to undo, e.g. a listener subscription. `dispose` is idempotent. */
export interface Disposable {
  dispose(): void;
}
