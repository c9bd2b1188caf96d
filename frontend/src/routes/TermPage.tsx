export function TermPage() {
  return <h1>TermPage</h1>;
}
