import { defineModule } from "../app/module";
import { eventsProvider } from "./provider";

export const eventsModule = defineModule({ name: "events", providers: [eventsProvider] });
