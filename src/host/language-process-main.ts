// The file Node runs for the language process when no start-up snapshot is used; the program is ./language-process.ts
// (a snapshot's main calls the same `main()`: src/host/language-snapshot-entry.ts).
import { main } from "./language-process.js";

main();
