import { token } from "../app/token";
import type { Mailer } from "./mailer";

/** Isolate-wide: the configured transport and the queueing entry point. */
export const MAILER = token<Mailer>("mailer");
