// A bare WebSocket client over TCP that plays a seed-protocol user in the browser tests (Node 20
// has no WebSocket).
import crypto from 'node:crypto';
import net from 'node:net';

// A seed-protocol user on a raw TCP socket: the handshake, masked text frames out, unmasked text
// frames in (unfragmented: the server sends whole frames), pings answered.
export class SeedClient {
  static async connect(port) {
    const client = new SeedClient(net.connect(port, '127.0.0.1'));
    const key = crypto.randomBytes(16).toString('base64');
    client.socket.write(`GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\n` +
                        `Connection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    await client.upgraded;
    return client;
  }

  constructor(socket) {
    this.socket = socket;
    this.buffer = Buffer.alloc(0);
    this.frames = [];  // every JSON frame received
    this.upgraded = new Promise((resolve, reject) => { this.onUpgrade = resolve; this.onFail = reject; });
    socket.on('data', (chunk) => this.receive(chunk));
    socket.on('error', (error) => this.onFail(error));
  }

  send(object) { this.write(0x1, Buffer.from(JSON.stringify(object))); }

  // Resolves with the first frame received (since connecting) that satisfies predicate.
  async waitFor(predicate, what, timeoutMs = 15000) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const found = this.frames.find(predicate);
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`seed client: timed out waiting for ${what}; last frames: ${JSON.stringify(this.frames.slice(-3))}`);
  }

  close() { this.socket.destroy(); }

  receive(chunk) {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    if (!this.isOpen) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = this.buffer.subarray(0, end).toString();
      if (!/^HTTP\/1\.1 101/.test(head)) return this.onFail(new Error(`handshake refused: ${head}`));
      this.buffer = this.buffer.subarray(end + 4);
      this.isOpen = true;
      this.onUpgrade();
    }
    while (this.readFrame()) { /* one frame per call */ }
  }

  readFrame() {
    const b = this.buffer;
    if (b.length < 2) return false;
    let length = b[1] & 0x7f;
    let offset = 2;
    if (length === 126) { if (b.length < 4) return false; length = b.readUInt16BE(2); offset = 4; }
    if (length === 127) { if (b.length < 10) return false; length = Number(b.readBigUInt64BE(2)); offset = 10; }
    if (b.length < offset + length) return false;
    const opcode = b[0] & 0x0f;
    const payload = b.subarray(offset, offset + length);
    this.buffer = b.subarray(offset + length);
    if (opcode === 0x1) this.frames.push(JSON.parse(payload.toString()));
    if (opcode === 0x9) this.write(0xA, payload);
    return true;
  }

  write(opcode, payload) {
    const mask = crypto.randomBytes(4);
    let header;
    if (payload.length < 126) {
      header = Buffer.from([0x80 | opcode, 0x80 | payload.length]);
    } else {
      header = Buffer.alloc(4);
      header[0] = 0x80 | opcode;
      header[1] = 0x80 | 126;
      header.writeUInt16BE(payload.length, 2);
    }
    const masked = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]));
    this.socket.write(Buffer.concat([header, mask, masked]));
  }
}
