// spawn() with 'ipc' in its stdio, on our channel: a socketpair whose child end takes the
// 'ipc' slot; everything else is the runtime's own spawn.
import type { ChildProcess, SpawnOptions } from 'child_process';
import { binding } from './native';
import { builtin } from './builtin';
import { setupChannel, type IpcTarget } from './channel';
import { kReadPending, type Control } from './channel/control';
import type { SerializationMode } from './serialization';
import { ipcIndex, kChannelFdEnv, kSerializationEnv, kShmEnv, shmWanted } from './channel-env';
import { addonsOffFor, argsLoadRegister, isNodeBinary, isThisRuntime, nodeOptionsLoadRegister, requireOption } from './preload';

type Options = SpawnOptions & { serialization?: SerializationMode; [key: string]: unknown };

/**
 * The child's environment and which variable tells it where its channel is: our
 * DEKA_CHANNEL_FD when it will load our preload and addon (Node would otherwise claim
 * NODE_CHANNEL_FD before any preload runs), Node's NODE_CHANNEL_FD otherwise, so any
 * Node-compatible runtime still talks to us over the same wire.
 */
function childEnv(file: string, args: readonly string[], options: Options, index: number, mode: string) {
  // for…in, as Node builds a child's environment: inherited keys count too.
  const source = options.env ?? process.env;
  const env: Record<string, string | undefined> = {};
  for (const key in source) env[key] = source[key];
  delete env.NODE_CHANNEL_FD;
  delete env.NODE_CHANNEL_SERIALIZATION_MODE;
  delete env[kChannelFdEnv];
  delete env[kSerializationEnv];
  delete env[kShmEnv];
  // A Node child whose NODE_OPTIONS nobody set gets our preload; an explicit NODE_OPTIONS
  // is the caller's choice and is left alone.
  if (env.NODE_OPTIONS === undefined && isNodeBinary(file)) env.NODE_OPTIONS = requireOption();
  // A cluster worker (cluster.fork() puts NODE_UNIQUE_ID in its env) gets Node's variable even
  // though it loads our preload: Node's cluster bootstrap sends {cmd:'NODE_CLUSTER', act:'online'}
  // before any --require runs, so only the builtin IPC is there in time. The worker then runs
  // Node's own cluster code end to end; this side speaks the wire protocol (raw handles too),
  // and the worker's own fork()s are deka-ipc again through the preload.
  // The alternative — our channel in the worker — was measured: it works only if the preload
  // replays cluster's internal 'online' message before any user message (else a primary that
  // listens for 'message' on 'online' misses the first one), and counts the 'disconnect'
  // listener cluster added before the channel existed (else the worker exits while waiting
  // for its server handle). Both copy cluster internals that may change between lines.
  const clusterWorker = env.NODE_UNIQUE_ID !== undefined;
  // Otherwise ours only when the child will load the preload and the addon; if not, Node's
  // builtin IPC in the child answers on the same wire.
  const ours =
    !clusterWorker &&
    (nodeOptionsLoadRegister(env.NODE_OPTIONS) || argsLoadRegister(args)) &&
    isThisRuntime(file, env.PATH) &&
    !addonsOffFor(args, env.NODE_OPTIONS);
  env[ours ? kChannelFdEnv : 'NODE_CHANNEL_FD'] = String(index);
  env[ours ? kSerializationEnv : 'NODE_CHANNEL_SERIALIZATION_MODE'] = mode;
  // Our child may offer shared memory for the channel (src-native/ring-transport.h), if this
  // build has it: a parent without rings never asks, so no child offers them.
  if (ours && shmWanted() && binding.sharedRings) env[kShmEnv] = '1';
  return env;
}

/** child_process.spawn, with 'ipc' stdio served by deka-ipc. Same signatures. */
function spawn(file: string, args?: unknown, options?: unknown): ChildProcess {
  let spawnArgs = args;
  let spawnOptions = options;
  if (!Array.isArray(args) && args != null && typeof args === 'object') {
    spawnOptions = args;
    spawnArgs = [];
  }
  // Where our channel goes: the only 'ipc' of the caller's stdio. Two of them are left to the
  // builtin, which throws ERR_IPC_ONE_PIPE where Node throws it, and starts nothing.
  const index = ipcIndex(spawnOptions);
  if (index === -1) return builtin.spawn(file, args as string[], options as SpawnOptions);

  // Node pads the caller's own stdio array to three entries; so do we.
  const callerStdio = (spawnOptions as Options).stdio as unknown[];
  while (callerStdio.length < 3) callerStdio.push(undefined);
  // Own properties only, as Node reads them: nothing on Object.prototype may steer it.
  const opts: Options = Object.assign(Object.create(null), spawnOptions);
  // The builtin validates every option, serialization included, in Node's order; this is
  // only which variable the child reads.
  const mode: SerializationMode = opts.serialization === 'advanced' ? 'advanced' : 'json';
  const argv = Array.isArray(spawnArgs) ? (spawnArgs as string[]) : [];

  const [parentFd, childFd] = binding.socketPair();
  const stdio = callerStdio.slice();
  stdio[index] = childFd;
  let child: ChildProcess;
  let shm = false;
  try {
    const env = childEnv(String(file), argv, opts, index, mode);
    shm = env[kShmEnv] === '1';
    child = builtin.spawn(file, spawnArgs as string[], { ...opts, stdio: stdio as SpawnOptions['stdio'], env });
  } catch (err) {
    binding.closeFd(parentFd);
    throw err;
  } finally {
    // The child has its copy (or never will): ours would only keep the peer from seeing EOF.
    binding.closeFd(childFd);
  }

  // 'close' waits for the channel as well as for exit and stdio, as Node's does.
  const counted = child as ChildProcess & { _closesNeeded: number; _closesGot: number };
  counted._closesNeeded++;
  const control = setupChannel(child as unknown as IpcTarget, parentFd, mode, {
    shm: shm ? 'accept' : undefined,
    peerPid: () => child.pid,
    onClose() {
      counted._closesGot++;
      if (counted._closesGot === counted._closesNeeded) {
        child.emit('close', child.exitCode, child.signalCode);
      }
    },
  });
  channelEndsBeforeExit(child, control);
  return child;
}

/**
 * Node's order when a child exits with its channel open: 'disconnect' (and the messages before
 * it), then 'exit'. libuv runs SIGCHLD's callback after the other I/O of the same poll, so
 * Node's builtin reads the channel's EOF first; ours may leave the rest of a wake-up to the
 * next turn (the turn's budget, a ring read by the idle handle) and 'exit' would overtake. So
 * when the child's exit is reported while the channel is open, what it holds is read to its
 * end first, and 'exit' follows the ticks that queued ('message's, 'disconnect'). A channel
 * still open after that (a grandchild holds the other end) gets its 'exit' one tick later.
 */
function channelEndsBeforeExit(child: ChildProcess, control: Control): void {
  const handle = (child as unknown as { _handle?: { onexit?: (...args: unknown[]) => void } })._handle;
  const onexit = handle?.onexit;
  if (!handle || typeof onexit !== 'function') return;
  handle.onexit = function onexitAfterChannel(this: unknown, ...args: unknown[]) {
    if (!child.channel) return onexit.apply(this, args);
    control[kReadPending]();
    process.nextTick(() => onexit.apply(this, args));
  };
}

// Exported with Node's own overloads (the arguments are checked at run time as Node checks them).
const typedSpawn = spawn as typeof import('child_process').spawn;
export { typedSpawn as spawn };
