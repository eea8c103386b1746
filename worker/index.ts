import app from "./app.tsx";

export { Recommendation } from "./durable/recommendation.ts";
export { Upload } from "./durable/upload.ts";

export default app;
