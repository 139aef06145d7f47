/** A payload, message or batch that Queues would refuse, caught before anything is sent. */
export class JobTooLargeError extends Error {
  constructor(readonly job: string, readonly bytes: number, readonly limit: number) {
    super(`Job "${job}" is ${bytes} bytes once serialized, over the ${limit}-byte Queues message limit: store the data (D1, KV) and pass a reference instead.`);
    this.name = "JobTooLargeError";
  }
}

export class UnknownJobError extends Error {
  constructor(readonly job: string) {
    super(`No job named "${job}" is registered: register it in a ServiceProvider (app.resolve(JOBS).register(job)).`);
    this.name = "UnknownJobError";
  }
}

export interface PayloadIssue {
  path: string;
  message: string;
}

export class InvalidPayloadError extends Error {
  constructor(readonly job: string, readonly issues: readonly PayloadIssue[]) {
    super(`Payload for job "${job}" failed its schema: ${issues.map((i) => `${i.path || "/"} ${i.message}`).join("; ")}`);
    this.name = "InvalidPayloadError";
  }
}

export class JobTimeoutError extends Error {
  constructor(readonly job: string, readonly seconds: number) {
    super(`Job "${job}" did not finish within its ${seconds} s timeout.`);
    this.name = "JobTimeoutError";
  }
}
