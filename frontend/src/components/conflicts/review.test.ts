import { describe, expect, it } from "vitest";
import { buildResolution, validActions } from "./review";

describe("validActions", () => {
  it("follows the API's transitions", () => {
    expect(validActions("open")).toEqual(["confirm", "dismiss", "resolve"]);
    expect(validActions("confirmed")).toEqual(["dismiss", "resolve", "reopen"]);
    expect(validActions("dismissed")).toEqual(["reopen"]);
    expect(validActions("resolved")).toEqual(["reopen"]);
    expect(validActions("obsolete")).toEqual([]);
  });
});

describe("buildResolution", () => {
  it("sends nothing for no resolution", () => {
    expect(buildResolution({ type: "none" })).toEqual({ ok: true, resolution: undefined });
  });

  it("merges exactly two definitions", () => {
    expect(buildResolution({ type: "merge_definitions", definitions: [3] })).toEqual({
      ok: false,
      message: "Pick exactly two definitions to merge.",
    });
    expect(buildResolution({ type: "merge_definitions", definitions: [3, 7] })).toEqual({
      ok: true,
      resolution: { type: "merge_definitions", definitions: [3, 7] },
    });
  });

  it("splits into named parts that each take their own definitions", () => {
    const part = (name: string, definitions: number[]) => ({ name, definitions });
    expect(buildResolution({ type: "split_term", parts: [] })).toMatchObject({ ok: false });
    expect(buildResolution({ type: "split_term", parts: [part("  ", [1])] })).toEqual({
      ok: false,
      message: "Give every part a name.",
    });
    expect(buildResolution({ type: "split_term", parts: [part("a", [])] })).toEqual({
      ok: false,
      message: "Give every part at least one definition.",
    });
    expect(
      buildResolution({ type: "split_term", parts: [part("a", [1]), part("b", [1, 2])] }),
    ).toEqual({ ok: false, message: "A definition can go to one part only." });
    expect(
      buildResolution({
        type: "split_term",
        parts: [part(" outer alignment (training distribution) ", [3]), part("b", [7])],
      }),
    ).toEqual({
      ok: true,
      resolution: {
        type: "split_term",
        parts: [
          { name: "outer alignment (training distribution)", definitions: [3] },
          { name: "b", definitions: [7] },
        ],
      },
    });
  });
});
