export function MapPage() {
  return <h1>MapPage</h1>;
}
