import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Claim, Comment, Mention } from "../../api/resources";
import { CommentText } from "./CommentText";

const comment = (text: string): Comment => ({
  id: 1,
  thread: 1,
  parent: null,
  author: "ada",
  posted_at: null,
  text,
  context: "",
  url: "",
  score: null,
  position: 0,
});

const claim = (id: number, start: number, end: number): Claim => ({
  id,
  thread: 1,
  comment: 1,
  author: "ada",
  start,
  end,
  quote: "",
  prefix: "",
  suffix: "",
  anchor: "anchored",
  note: "",
  readings: [],
  created_by: "bob",
  created_at: "",
  updated_at: "",
});

const mention = (id: number, start: number, end: number): Mention => ({
  id,
  thread: 1,
  comment: 1,
  term: 1,
  term_name: "outer alignment",
  start,
  end,
  text: "",
  status: "suggested",
  decided_by: null,
});

function show(
  text: string,
  claims: Claim[],
  mentions: Mention[] = [],
  selected: number | null = null,
) {
  const onSelectClaim = vi.fn();
  const onMentionClick = vi.fn();
  const { container } = render(
    <CommentText
      comment={comment(text)}
      claims={claims}
      mentions={mentions}
      selectedClaimId={selected}
      onSelectClaim={onSelectClaim}
      onMentionClick={onMentionClick}
      onTabForward={() => false}
    />,
  );
  return { root: container.querySelector("[data-comment-text]")!, onSelectClaim, onMentionClick };
}

afterEach(cleanup);

describe("CommentText", () => {
  it("renders hostile text as text", () => {
    const text = '<img src=x onerror="alert(1)"><script>alert(2)</script>';
    const { root } = show(text, [claim(1, 0, 10)], [mention(2, 5, 20)]);
    expect(root.textContent).toBe(text);
    expect(root.querySelector("img, script")).toBeNull();
  });

  it("splits overlapping claims and mentions into marks and underlines", () => {
    const { root } = show(
      "outer alignment is hard",
      [claim(1, 0, 15), claim(2, 6, 23)],
      [mention(9, 0, 15)],
    );
    const marks = [...root.querySelectorAll("mark")];
    expect(marks.map((m) => m.textContent)).toEqual(["outer ", "alignment", " is hard"]);
    expect(marks.map((m) => m.dataset.depth)).toEqual(["1", "2", "1"]);
    expect([...root.querySelectorAll(".mention")].map((m) => m.textContent)).toEqual([
      "outer ",
      "alignment",
    ]);
    // One tab stop per claim, at the segment where it starts.
    expect(marks.map((m) => m.tabIndex)).toEqual([0, 0, -1]);
  });

  it("cycles through the claims under a segment, innermost first", () => {
    const claims = [claim(1, 0, 15), claim(2, 6, 23)];
    const first = show("outer alignment is hard", claims);
    fireEvent.click(screen.getByRole("button", { name: "alignment" }));
    expect(first.onSelectClaim).toHaveBeenLastCalledWith(2);
    cleanup();
    const again = show("outer alignment is hard", claims, [], 2);
    fireEvent.keyDown(screen.getByRole("button", { name: "alignment" }), { key: "Enter" });
    expect(again.onSelectClaim).toHaveBeenLastCalledWith(1);
  });

  it("opens a mention outside any claim", () => {
    const { root, onMentionClick } = show("about outer alignment", [], [mention(4, 6, 21)]);
    fireEvent.click(root.querySelector(".mention")!);
    expect(onMentionClick).toHaveBeenCalledWith(4);
  });
});
