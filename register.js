// `node -r deka-ipc/register app.js`: see src/register.ts.
require('./dist/register');
