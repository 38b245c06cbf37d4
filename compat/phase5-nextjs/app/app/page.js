export default function Page() {
  return <main>deka-ipc next fixture</main>;
}
