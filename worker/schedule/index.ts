/** `stratus/schedule`: cron tasks for the Worker's scheduled handler. */
export { Scheduler, type Task, type TaskContext, type TaskRun } from "./scheduler";
export { assertCron } from "./cron";
export { scheduleModule } from "./module";
export { SCHEDULER, scheduleProvider } from "./provider";
