/**
 * A WebSocket spoken by hand over a TCP socket, so tests can send what no
 * well-behaved client library would: reserved opcodes, invalid UTF-8, lying
 * length headers, unmasked frames. Frames are built byte by byte (RFC 6455 §5.2).
 */
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

export interface FrameSpec {
  /** 4 bits; 0x1 text, 0x2 binary, 0x8 close, 0x9 ping, 0xA pong; 0x3–0x7 and 0xB–0xF are reserved. */
  opcode: number;
  payload?: Uint8Array;
  fin?: boolean;
  /** The three reserved bits, 0–7. */
  rsv?: number;
  /** Clients must mask; false sends the payload in the clear. */
  masked?: boolean;
  /** The length the header announces, when it should lie about the payload. */
  declaredLength?: number;
}

export function encodeFrame(spec: FrameSpec): Buffer {
  const payload = Buffer.from(spec.payload ?? new Uint8Array());
  const length = spec.declaredLength ?? payload.length;
  const masked = spec.masked ?? true;
  const first = ((spec.fin ?? true) ? 0x80 : 0) | (((spec.rsv ?? 0) & 7) << 4) | (spec.opcode & 0x0f);
  let header: Buffer;
  if (length < 126) {
    header = Buffer.from([first, (masked ? 0x80 : 0) | length]);
  } else if (length < 65536) {
    header = Buffer.alloc(4);
    header[0] = first;
    header[1] = (masked ? 0x80 : 0) | 126;
    header.writeUInt16BE(length, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = first;
    header[1] = (masked ? 0x80 : 0) | 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  if (!masked) return Buffer.concat([header, payload]);
  const mask = randomBytes(4);
  const body = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]!));
  return Buffer.concat([header, mask, body]);
}

export interface RawConnection {
  socket: Socket;
  /** Resolves with the close code the server sent (or undefined when it just hung up) once the connection ends. */
  closed: Promise<number | undefined>;
  send(bytes: Uint8Array): void;
  /** Everything received after the handshake. */
  received(): Buffer;
}

/** Opens `/ws` with a hand-written upgrade request and resolves once the server answers 101. */
export async function openRawWebSocket(port: number, origin?: string): Promise<RawConnection> {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  let buffer = Buffer.alloc(0);
  let upgraded = false;
  let afterHandshake = Buffer.alloc(0);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => {
      socket.write(
        [
          'GET /ws HTTP/1.1',
          `Host: 127.0.0.1:${port}`,
          'Upgrade: websocket',
          'Connection: Upgrade',
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
          'Sec-WebSocket-Version: 13',
          ...(origin ? [`Origin: ${origin}`] : []),
          '',
          '',
        ].join('\r\n'),
      );
    });
    socket.on('data', (chunk: Buffer) => {
      if (upgraded) {
        afterHandshake = Buffer.concat([afterHandshake, chunk]);
        return;
      }
      buffer = Buffer.concat([buffer, chunk]);
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buffer.subarray(0, end).toString();
      if (!head.startsWith('HTTP/1.1 101')) return reject(new Error(`no upgrade: ${head.split('\r\n')[0]}`));
      upgraded = true;
      afterHandshake = buffer.subarray(end + 4);
      resolve();
    });
    socket.once('close', () => reject(new Error('closed during the handshake')));
  });
  const closed = new Promise<number | undefined>((resolve) => socket.once('close', () => resolve(closeCodeIn(afterHandshake))));
  return { socket, closed, send: (bytes) => socket.write(bytes), received: () => afterHandshake };
}

/** The frames a server sent: opcode and payload, until the bytes run out. */
export function serverFrames(bytes: Buffer): { opcode: number; payload: Buffer }[] {
  const frames: { opcode: number; payload: Buffer }[] = [];
  let offset = 0;
  while (offset + 2 <= bytes.length) {
    const opcode = bytes[offset]! & 0x0f;
    let length = bytes[offset + 1]! & 0x7f;
    let start = offset + 2;
    if (length === 126) {
      if (start + 2 > bytes.length) break;
      length = bytes.readUInt16BE(start);
      start += 2;
    } else if (length === 127) {
      if (start + 8 > bytes.length) break;
      length = Number(bytes.readBigUInt64BE(start));
      start += 8;
    }
    if (start + length > bytes.length) break;
    frames.push({ opcode, payload: bytes.subarray(start, start + length) });
    offset = start + length;
  }
  return frames;
}

/** The status code of the first close frame the server sent, if any. */
export function closeCodeIn(bytes: Buffer): number | undefined {
  const close = serverFrames(bytes).find((frame) => frame.opcode === 0x8);
  return close && close.payload.length >= 2 ? close.payload.readUInt16BE(0) : undefined;
}
