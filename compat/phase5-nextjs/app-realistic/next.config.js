// The realistic fixture: as a user's app would be, but for the worker count. Next sizes its
// build worker pools from the machine (one worker on two cores); two make pages and results
// arrive from several workers, as on a larger machine.
module.exports = {
  devIndicators: false,
  experimental: { cpus: 2 },
};
