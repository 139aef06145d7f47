/** Events about users rows, dispatched by every writer of the table other than the UserProfile component itself. */
declare module "stratus/events" {
  interface Events {
    /** A users row changed (the live profile re-reads it). */
    "user.updated": { id: string };
    "user.deleted": { id: string };
  }
}

export {};
