/**
 * Raised when the data handed to a model or metric cannot give a meaningful answer
 * (NaN features, a single class, mismatched lengths). Stages catch it and show the
 * message to the user as is, so every message names the problem and what to do.
 */
export class MlInputError extends Error {
  override readonly name = "MlInputError";
  /** Machine-readable context (row, column, class...) for the UI; optional. */
  readonly details: Record<string, unknown> | undefined;

  constructor(message: string, details?: Record<string, unknown>) {
    super(message);
    this.details = details;
  }
}
