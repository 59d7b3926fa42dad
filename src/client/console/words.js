// The console's words, by language; each list is its own file under words/.
import { en } from "./words/en.js";
import { zh } from "./words/zh.js";

export const words = { en, zh };
