import { problemResponse, type ProblemDetails } from "./problem";

const STATUS_TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

export interface HttpErrorOptions {
  detail?: string;
  /** Problem type URI; defaults to a stable tag per status. */
  type?: string;
  title?: string;
  headers?: HeadersInit;
  /** Extension members (RFC 9457 §3.2), e.g. `errors` for validation. */
  extensions?: Record<string, unknown>;
  cause?: unknown;
}

/** An error that knows its HTTP status and renders as application/problem+json. */
export class HttpError extends Error {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly headers: HeadersInit | undefined;
  readonly extensions: Record<string, unknown>;

  constructor(status: number, options: HttpErrorOptions = {}) {
    super(options.detail ?? STATUS_TITLES[status] ?? `HTTP ${status}`, { cause: options.cause });
    this.name = "HttpError";
    this.status = status;
    this.title = options.title ?? STATUS_TITLES[status] ?? "Error";
    this.type = options.type ?? `https://stratus.dev/problems/${this.title.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
    this.headers = options.headers;
    this.extensions = options.extensions ?? {};
  }

  toProblem(instance?: string): ProblemDetails {
    return {
      ...this.extensions,
      type: this.type,
      title: this.title,
      status: this.status,
      detail: this.message,
      ...(instance ? { instance } : {}),
    };
  }

  toResponse(instance?: string, extra?: Record<string, unknown>): Response {
    return problemResponse({ ...this.toProblem(instance), ...extra }, this.headers);
  }
}

export class BadRequestError extends HttpError {
  constructor(detail: string, extensions?: Record<string, unknown>) {
    super(400, { detail, ...(extensions ? { extensions } : {}) });
  }
}

export class UnauthorizedError extends HttpError {
  constructor(detail = "Authentication is required.") {
    super(401, { detail });
  }
}

export class ForbiddenError extends HttpError {
  constructor(detail = "You are not allowed to do this.") {
    super(403, { detail });
  }
}

export class NotFoundError extends HttpError {
  constructor(detail = "The requested resource was not found.") {
    super(404, { detail });
  }
}

export class MethodNotAllowedError extends HttpError {
  constructor(allowed: readonly string[]) {
    super(405, {
      detail: `Allowed methods: ${allowed.join(", ")}.`,
      headers: { allow: allowed.join(", ") },
      extensions: { allow: allowed },
    });
  }
}

export class ConflictError extends HttpError {
  constructor(detail: string, extensions?: Record<string, unknown>) {
    super(409, { detail, ...(extensions ? { extensions } : {}) });
  }
}

export class PayloadTooLargeError extends HttpError {
  constructor(limit: number) {
    super(413, { detail: `The request body is larger than the limit of ${limit} bytes.`, extensions: { limit } });
  }
}

export class UnsupportedMediaTypeError extends HttpError {
  constructor(expected: string) {
    super(415, { detail: `Expected a ${expected} request body.` });
  }
}

export interface FieldError {
  /** Where the problem is: "body", "query" or "params". */
  in: string;
  /** JSON-pointer-like path to the field, e.g. "/tags/0". */
  path: string;
  message: string;
}

export class ValidationError extends HttpError {
  constructor(readonly errors: FieldError[]) {
    super(422, {
      detail: `${errors.length} field${errors.length === 1 ? "" : "s"} failed validation.`,
      extensions: { errors },
    });
  }
}

export class TooManyRequestsError extends HttpError {
  constructor(retryAfterSeconds: number) {
    super(429, {
      detail: `Rate limit exceeded; retry in ${retryAfterSeconds} s.`,
      headers: { "retry-after": String(retryAfterSeconds) },
    });
  }
}

export class BadGatewayError extends HttpError {
  constructor(detail: string, extensions?: Record<string, unknown>) {
    super(502, { detail, ...(extensions ? { extensions } : {}) });
  }
}
