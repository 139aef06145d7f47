import { describe, expect, it } from "vitest";
import { z } from "zod";
import * as v from "valibot";
import { parseEnvelope } from "../../worker/queue/envelope";
import { defineJob, isJob } from "../../worker/queue/job";
import { JobRegistry } from "../../worker/queue/registry";
import { validate } from "../../worker/queue/schema";

describe("job definitions", () => {
  it("checks names and options when the job is defined", () => {
    const schema = z.object({});
    expect(() => defineJob({ name: "has space", schema, handle() {} })).toThrow(/must match/);
    expect(() => defineJob({ name: "ok", schema, tries: 0, handle() {} })).toThrow(/tries must be an integer of at least 1/);
    expect(() => defineJob({ name: "ok", schema, timeout: -1, handle() {} })).toThrow(/timeout must be a non-negative number/);
    expect(isJob(defineJob({ name: "ok", schema, handle() {} }))).toBe(true);
    expect(isJob(() => {})).toBe(false);
  });

  it("accepts a class implementing Job and any Standard Schema library", async () => {
    class Resize {
      readonly name = "images.resize";
      readonly schema = v.object({ key: v.string(), width: v.pipe(v.number(), v.minValue(1)) });
      readonly tries = 4;
      handle(p: { key: string; width: number }) {
        return p.width;
      }
    }
    const job = new Resize();
    expect(isJob(job)).toBe(true);
    expect(await validate(job.schema, { key: "a", width: 0 })).toMatchObject({ ok: false, issues: [{ path: "/width" }] });
    expect(await validate(job.schema, { key: "a", width: 3 })).toEqual({ ok: true, value: { key: "a", width: 3 } });
  });

  it("refuses two different jobs under one name", () => {
    const a = defineJob({ name: "dup", schema: z.object({}), handle() {} });
    const b = defineJob({ name: "dup", schema: z.object({}), handle() {} });
    const registry = new JobRegistry().register(a, a);
    expect(() => registry.register(b)).toThrow(/Two different jobs are named "dup"/);
    expect(() => registry.require("nope")).toThrow(/No job named "nope"/);
  });

  it("parses envelopes and explains what is wrong with other bodies", () => {
    expect(parseEnvelope({ v: 1, id: "a", job: "j", payload: 1, queuedAt: 1 }).ok).toBe(true);
    expect(parseEnvelope(null)).toEqual({ ok: false, reason: "Message body is null, not a job envelope." });
    expect(parseEnvelope({ v: 1, id: "a", queuedAt: 1 })).toEqual({ ok: false, reason: "Job envelope names no job." });
    expect(parseEnvelope({ v: 1, id: "a", job: "j", queuedAt: 1, chain: [{ nope: 1 }] })).toEqual({ ok: false, reason: "Job envelope has a malformed chain." });
  });
});
