export function ThreadPage() {
  return <h1>ThreadPage</h1>;
}
