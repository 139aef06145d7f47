import { describe, expect, it } from "vitest";
import { CorkedSends } from "../../durable-objects/cluster/corked-sends";

describe("CorkedSends", () => {
  it("sends at once outside a cork, and one message per socket inside, frames in order, arrays flattened", () => {
    const sent: [string, string][] = [];
    const sends = new CorkedSends<string>((socket, text) => sent.push([socket, text]));
    sends.send("a", '{"n":0}');
    expect(sent).toEqual([["a", '{"n":0}']]);
    sent.length = 0;
    const out = sends.corked(() => {
      sends.send("a", '{"n":1}');
      sends.send("b", '{"n":1}');
      sends.send("a", '[{"n":2},{"ack":"x"}]');
      sends.send("a", '{"n":3}');
      expect(sent).toEqual([]);
      return "done";
    });
    expect(out).toBe("done");
    expect(sent).toEqual([
      ["a", '[{"n":1},{"n":2},{"ack":"x"},{"n":3}]'],
      ["b", '{"n":1}'],
    ]);
    for (const [, text] of sent) expect(() => JSON.parse(text)).not.toThrow();
  });

  it("still sends what was held when the work throws, and a nested cork joins the outer one", () => {
    const sent: string[] = [];
    const sends = new CorkedSends<string>((_s, text) => sent.push(text));
    expect(() =>
      sends.corked(() => {
        sends.send("a", "1");
        sends.corked(() => sends.send("a", "2"));
        expect(sent).toEqual([]);
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(sent).toEqual(["[1,2]"]);
  });
});
