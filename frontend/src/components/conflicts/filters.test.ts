import { describe, expect, it } from "vitest";
import { filtersToParams, parseFilters, toApiFilter } from "./filters";

const parse = (query: string) => parseFilters(new URLSearchParams(query));

describe("parseFilters", () => {
  it("defaults to open and confirmed conflicts", () => {
    expect(parse("")).toEqual({ kinds: [], statuses: ["open", "confirmed"], term: undefined, thread: undefined });
  });

  it("reads repeated and comma-separated lists, dropping unknown values", () => {
    expect(parse("kind=equivocation&kind=synonym_candidate,bogus&status=dismissed").kinds).toEqual([
      "equivocation",
      "synonym_candidate",
    ]);
    expect(parse("status=dismissed,resolved").statuses).toEqual(["dismissed", "resolved"]);
  });

  it("reads an empty or 'all' status as every status", () => {
    expect(parse("status=").statuses).toEqual([]);
    expect(parse("status=all").statuses).toEqual([]);
  });

  it("reads term and thread ids, ignoring junk", () => {
    expect(parse("term=3&thread=1")).toMatchObject({ term: 3, thread: 1 });
    expect(parse("term=x&thread=-2")).toMatchObject({ term: undefined, thread: undefined });
  });
});

describe("filtersToParams", () => {
  it("round-trips and leaves the default statuses out", () => {
    const filters = parse("kind=equivocation&term=3");
    expect(filtersToParams(filters).toString()).toBe("kind=equivocation&term=3");
    expect(parseFilters(filtersToParams(filters))).toEqual(filters);
  });

  it("writes 'all' for every status", () => {
    const params = filtersToParams({ kinds: [], statuses: [] });
    expect(params.toString()).toBe("status=all");
    expect(parseFilters(params).statuses).toEqual([]);
  });
});

describe("toApiFilter", () => {
  it("sends only the filters that are set", () => {
    expect(toApiFilter(parse("thread=2"))).toEqual({ status: ["open", "confirmed"], thread: 2 });
    expect(toApiFilter(parse("status=all"))).toEqual({});
  });
});
