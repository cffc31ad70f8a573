import net, { type AddressInfo } from 'node:net';

/** A port on loopback on which nothing listens now (free to listen on, or to stand for a host that is down). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
