// Stylesheets imported by a lazily loaded page come with its chunk (Vite splits them out).
declare module "*.css";
