// A labelled form control (shared by the threads, conflicts, terms and map screens). The label
// points at the control with `for` instead of wrapping it, so the control's accessible name is
// the label alone, never the label plus whatever was typed into it or the options it lists.
import { type ReactElement, cloneElement, useId } from "react";

type ControlProps = { id?: string; "aria-describedby"?: string };

type Props = {
  label: string;
  hint?: string;
  /** "field" stacks the label above the control; "inline-field" puts it beside. */
  layout?: "field" | "inline-field";
  children: ReactElement<ControlProps>;
};

export function Field({ label, hint, layout = "field", children }: Props) {
  const id = useId();
  const hintId = useId();
  return (
    <div className={layout}>
      <label htmlFor={id}>{label}</label>
      {cloneElement(children, { id, "aria-describedby": hint ? hintId : undefined })}
      {hint ? (
        <span id={hintId} className="hint">
          {hint}
        </span>
      ) : null}
    </div>
  );
}
