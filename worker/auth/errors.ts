import { HttpError } from "../http/errors";

const TYPES = "https://stratus.dev/problems/";

/** 401: no user. `WWW-Authenticate` tells API clients a bearer token would do. */
export class AuthenticationError extends HttpError {
  constructor(detail = "Sign in, or send an API token as Authorization: Bearer <token>.", error?: "invalid_token") {
    super(401, {
      detail,
      type: `${TYPES}unauthenticated`,
      headers: { "www-authenticate": error ? `Bearer error="${error}"` : "Bearer" },
    });
    this.name = "AuthenticationError";
  }
}

/** 403: the gate refused this user. */
export class AuthorizationError extends HttpError {
  constructor(ability: string) {
    super(403, { detail: `You may not ${ability} this.`, type: `${TYPES}forbidden`, extensions: { ability } });
    this.name = "AuthorizationError";
  }
}

/** 403: the user may, but the API token used does not carry the ability. */
export class InsufficientAbilityError extends HttpError {
  constructor(ability: string) {
    super(403, {
      detail: `This API token lacks the "${ability}" ability.`,
      title: "Insufficient ability",
      type: `${TYPES}insufficient-ability`,
      headers: { "www-authenticate": `Bearer error="insufficient_scope", scope="${ability}"` },
      extensions: { ability },
    });
    this.name = "InsufficientAbilityError";
  }
}

/** 403 from guest(): the page is for guests and the request is signed in. */
export class AlreadyAuthenticatedError extends HttpError {
  constructor() {
    super(403, { detail: "Already signed in.", type: `${TYPES}already-authenticated` });
    this.name = "AlreadyAuthenticatedError";
  }
}
