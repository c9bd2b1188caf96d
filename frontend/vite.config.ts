/// <reference types="vitest/config" />
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// Built into dist/ and served by Django: index.html for every app route, assets under /static/.
export default defineConfig({
  base: "/static/",
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, sourcemap: true },
  server: {
    // `npm run dev` beside `manage.py runserver`: the API stays same-origin for cookies.
    proxy: { "/api": "http://127.0.0.1:8000", "/admin": "http://127.0.0.1:8000" },
  },
  test: { environment: "jsdom", include: ["src/**/*.test.{ts,tsx}"] },
});
