// Fixture config for the phase 5 cases. A case edits RESTART_MARKER to make `next dev`
// restart its server child (exit code 77), so keep this file small and stable.
const RESTART_MARKER = 0;

module.exports = {
  env: { RESTART_MARKER: String(RESTART_MARKER) },
  // The dashboard and the cases print enough; no telemetry from a test fixture.
  devIndicators: false,
};
