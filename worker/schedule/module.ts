import { defineModule } from "../app/module";
import { scheduleProvider } from "./provider";

export const scheduleModule = defineModule({ name: "schedule", providers: [scheduleProvider] });
