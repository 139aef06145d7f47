// The password bench's Worker: hashes and verifies with the framework's own functions inside workerd.
import { hashPassword, PASSWORD_HASHING, verifyPassword } from "../../worker/auth/password";

async function pbkdf2(password: string, iterations: number): Promise<void> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(password), "PBKDF2", false, ["deriveBits"]);
  await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt: crypto.getRandomValues(new Uint8Array(16)), iterations }, key, 256);
}

export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const iterations = Number(url.searchParams.get("iterations") ?? PASSWORD_HASHING.iterations);
    const what = url.pathname.slice(1);
    const started = Date.now();
    if (what === "hash") await hashPassword("correct horse battery staple", { ...PASSWORD_HASHING, iterations });
    else if (what === "verify") await verifyPassword("correct horse battery staple", STORED ??= await hashPassword("correct horse battery staple"));
    // Past the framework's own cap: what a higher count would cost, were production to allow it.
    else if (what === "raw") await pbkdf2("correct horse battery staple", iterations);
    else return new Response("unknown", { status: 404 });
    // Workers' clock moves only across I/O; deriveBits is one, so the difference is the hash's time.
    return Response.json({ ms: Date.now() - started });
  },
};

let STORED: string | undefined;
