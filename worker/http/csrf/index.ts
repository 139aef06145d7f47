export { csrf, type CsrfOptions } from "./middleware";
export { csrfField, csrfToken } from "./field";
export { CsrfError } from "./errors";
