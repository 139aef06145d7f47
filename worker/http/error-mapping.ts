import { HttpError } from "./errors";

/** Turns an error of some other layer (data, AI, queue...) into the problem it means, or says it does not know it. */
export type ErrorMapper = (err: unknown) => HttpError | undefined;

const mappers = new Set<ErrorMapper>();

/**
 * Lets a feature area say what its errors mean over HTTP without the area
 * itself depending on HTTP: the data layer throws RecordNotFoundError, its
 * provider registers the mapping to 404 here. Registering twice is harmless.
 */
export function mapErrors(mapper: ErrorMapper): void {
  mappers.add(mapper);
}

/** The HttpError an error stands for: itself, a registered mapping, or none (a 500). */
export function toHttpError(err: unknown): HttpError | undefined {
  if (err instanceof HttpError) return err;
  for (const map of mappers) {
    const mapped = map(err);
    if (mapped) return mapped;
  }
  return undefined;
}
