// A handle frame from the peer names what its descriptor is (`type`, `dgramType`); a hostile
// or broken peer may lie. net/dgram throw, asynchronously and uncaught, when asked to wrap
// a descriptor of the wrong kind (a file as a socket, a UDP socket as a server...), which
// would take the receiving process down. So the receiver first asks the kernel what the
// descriptor really is, and refuses a frame whose claim does not hold.
import { binding } from './native';
import type { HandleFrame } from './handles';

/** What the kernel says a received descriptor is (src-native/addon.cc describeFd). */
export interface FdDescription {
  socket: boolean;
  stream?: boolean;
  datagram?: boolean;
  family?: 'inet4' | 'inet6' | 'unix' | 'other';
  listening?: boolean;
}

const dgramFamilies: Record<string, string> = { udp4: 'inet4', udp6: 'inet6' };

/** Why `frame` cannot be adopted with `fd`, or null when the descriptor is what it claims. */
export function handleMismatch(frame: HandleFrame, fd: number): string | null {
  let fdIs: FdDescription;
  try {
    fdIs = binding.describeFd(fd) as FdDescription;
  } catch (err) {
    return `its descriptor cannot be examined (${(err as Error).message})`;
  }
  const inet = fdIs.family === 'inet4' || fdIs.family === 'inet6';
  switch (frame.type) {
    case 'net.Server':
      return fdIs.stream && fdIs.listening && (inet || fdIs.family === 'unix') ? null : 'a net.Server needs a listening stream socket';
    case 'net.Socket':
      return fdIs.stream && !fdIs.listening ? null : 'a net.Socket needs a connected stream socket';
    case 'net.BoundSocket':
      return fdIs.stream && !fdIs.listening && inet ? null : 'a net.BoundSocket needs a bound TCP socket, not listening';
    case 'net.Native':
      return fdIs.stream ? null : 'a net.Native handle needs a stream socket';
    case 'dgram.Socket': {
      const family = dgramFamilies[frame.dgramType as string];
      if (family === undefined) return `dgramType ${JSON.stringify(frame.dgramType)} is neither 'udp4' nor 'udp6'`;
      return fdIs.datagram && fdIs.family === family ? null : `a ${frame.dgramType} dgram.Socket needs an ${family} datagram socket`;
    }
    case 'dgram.Native':
      return fdIs.datagram && inet ? null : 'a dgram.Native handle needs a UDP socket';
    default:
      return `unknown handle type ${JSON.stringify(frame.type)}`;
  }
}
