// npm start: the example API on http://127.0.0.1:4000.
//   GATEHOUSE_ISSUER  the issuer whose tokens it accepts (default http://localhost:8080)
//   API_AUDIENCE      the audience the tokens must name (default http://localhost:4000)
//   ALLOWED_ORIGINS   comma-separated browser origins (default http://localhost:5173, the SPA)
//   HOST, PORT        where it listens (default 127.0.0.1, 4000)
import { createApp } from "./app.js";

const issuer = process.env.GATEHOUSE_ISSUER ?? "http://localhost:8080";
const audience = process.env.API_AUDIENCE ?? "http://localhost:4000";
const allowedOrigins = (process.env.ALLOWED_ORIGINS ?? "http://localhost:5173").split(",").filter(Boolean);
const host = process.env.HOST ?? "127.0.0.1";
const port = Number(process.env.PORT ?? 4000);

const app = await createApp({ issuer, audience, allowedOrigins });
const server = app.listen(port, host, () => {
  const { address, port: p } = server.address();
  console.log(`example API on http://${address}:${p} (issuer ${issuer}, audience ${audience})`);
});
process.on("SIGTERM", () => server.close());
