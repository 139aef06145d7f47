import { token } from "../app/token";
import type { EventDispatcher } from "./dispatcher";

/** The application's event dispatcher, typed by the augmentable `Events` map. */
export const EVENTS = token<EventDispatcher>("events.dispatcher");
