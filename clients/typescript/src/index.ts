/**
 * A typed client for albumen: every REST call typed from the OpenAPI document
 * (openapi-fetch over the types openapi-typescript generates into schema.d.ts), and the
 * live events of the WebSocket (/api/v1/ws) as an async iterator.
 */
import createClient, { type Client } from "openapi-fetch";
import WebSocket from "ws";

import type { components, paths } from "./schema.js";

export type { components, paths };
export type Schemas = components["schemas"];
export type Asset = Schemas["AssetOut"];
export type Face = Schemas["FaceOut"];

/** An event as the WebSocket and webhooks tell it. */
export interface LiveEvent {
  id: string;
  type: string;
  time: string;
  asset_id?: number;
  [field: string]: unknown;
}

export type Albumen = Client<paths>;

/** A client for `baseUrl`, authenticated with an access token or API key. */
export function albumenClient(baseUrl: string, token: string): Albumen {
  return createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${token}` } });
}

/** An access token for a username and password (the OAuth2 password flow). */
export async function login(baseUrl: string, username: string, password: string): Promise<string> {
  const client = createClient<paths>({ baseUrl });
  const { data, error } = await client.POST("/api/v1/auth/token", {
    body: { username, password, grant_type: "password" } as Schemas["Body_auth_token"],
    bodySerializer: (body) => new URLSearchParams(body as Record<string, string>),
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
  });
  if (error || !data) throw new Error(`login failed: ${JSON.stringify(error)}`);
  return data.access_token;
}

/** Upload a file (its bytes and name); resolves to the created (or duplicate) asset. */
export async function upload(client: Albumen, bytes: Uint8Array<ArrayBuffer>, filename: string,
                             idempotencyKey?: string): Promise<Asset> {
  const { data, error } = await client.POST("/api/v1/assets", {
    body: {} as never,
    bodySerializer: () => {
      const form = new FormData();
      form.append("file", new Blob([bytes]), filename);
      return form;
    },
    headers: idempotencyKey ? { "Idempotency-Key": idempotencyKey } : {},
  });
  if (error || !data) throw new Error(`upload failed: ${JSON.stringify(error)}`);
  return data.asset;
}

/** Subscription shapes the WebSocket accepts. */
export type Subscription = { assets: number[] } | { event: number } | { mine: true };

/**
 * The live events of `subscription`, in order, until `stop()` is called or the socket
 * closes. Resolves once the server confirmed the subscription.
 */
export async function live(baseUrl: string, token: string, subscription: Subscription) {
  const url = baseUrl.replace(/^http/, "ws") + "/api/v1/ws";
  const ws = new WebSocket(url, { headers: { Authorization: `Bearer ${token}` } });
  const queue: LiveEvent[] = [];
  let wake: (() => void) | null = null;
  let closed = false;
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => ws.send(JSON.stringify({ subscribe: subscription })));
    ws.once("error", reject);
    ws.on("message", (raw) => {
      const item = JSON.parse(raw.toString()) as LiveEvent;
      if (item.type === "subscribed") return resolve();
      if (item.type === "error") return reject(new Error(String(item.message)));
      if (item.type === "ping") return;
      queue.push(item);
      wake?.();
    });
    ws.on("close", () => { closed = true; wake?.(); });
  });
  async function* events(): AsyncGenerator<LiveEvent> {
    while (true) {
      const next = queue.shift();
      if (next) { yield next; continue; }
      if (closed) return;
      await new Promise<void>((resolve) => { wake = resolve; });
      wake = null;
    }
  }
  return { events: events(), stop: () => ws.close() };
}
