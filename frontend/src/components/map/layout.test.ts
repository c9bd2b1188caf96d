import { describe, expect, it } from "vitest";
import { CLAIM_HEIGHT, COLUMN_WIDTH, layoutThread } from "./layout";

const c = (id: number, parent: number | null, position = id) => ({ id, parent, position });

describe("layoutThread", () => {
  it("puts each reply depth in its own column and reads depth first", () => {
    const layout = layoutThread(
      [c(1, null), c(2, 1), c(3, 2), c(4, 1)],
      new Map([
        [1, [10]],
        [2, [20, 21]],
        [3, [30]],
        [4, [40]],
      ]),
    );
    expect(layout.order).toEqual([1, 2, 3, 4]);
    expect(layout.claims.get(10)!.x).toBe(0);
    expect(layout.claims.get(20)!.x).toBe(COLUMN_WIDTH);
    expect(layout.claims.get(30)!.x).toBe(2 * COLUMN_WIDTH);
    expect(layout.claims.get(40)!.x).toBe(COLUMN_WIDTH);
  });

  it("stacks a comment's claims and starts a reply level with what it replies to", () => {
    const layout = layoutThread([c(1, null), c(2, 1)], new Map([[1, [10, 11]], [2, [20]]]));
    const [a, b] = [layout.claims.get(10)!, layout.claims.get(11)!];
    expect(b.y - a.y).toBeGreaterThanOrEqual(CLAIM_HEIGHT);
    expect(layout.claims.get(20)!.y).toBe(a.y);
  });

  it("keeps sibling subtrees in separate bands that do not overlap", () => {
    const layout = layoutThread(
      [c(1, null), c(2, 1), c(3, 2), c(5, 2), c(4, 1)],
      new Map([
        [2, [20]],
        [3, [30]],
        [5, [50]],
        [4, [40]],
      ]),
    );
    // Comment 2's band holds 3 and 5 stacked; comment 4 starts below both.
    expect(layout.claims.get(50)!.y).toBeGreaterThan(layout.claims.get(30)!.y + CLAIM_HEIGHT);
    expect(layout.claims.get(40)!.y).toBeGreaterThan(layout.claims.get(50)!.y + CLAIM_HEIGHT);
    expect(layout.emptyComments.has(1)).toBe(true);
  });

  it("orders siblings by their position in the thread", () => {
    const layout = layoutThread([c(1, null, 0), c(3, 1, 1), c(2, 1, 2)], new Map([[1, [10]], [2, [20]], [3, [30]]]));
    expect(layout.order).toEqual([1, 3, 2]);
  });

  it("survives a reply cycle and a missing parent", () => {
    const layout = layoutThread([c(1, 2), c(2, 1), c(3, 99)], new Map([[3, [30]]]));
    expect(layout.order).toEqual([3]);
    expect(layout.claims.get(30)).toEqual({ x: 0, y: expect.any(Number) });
  });
});
