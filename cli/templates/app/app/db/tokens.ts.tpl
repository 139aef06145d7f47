import { token } from "stratus";
import type { NoteRepository } from "./repositories/notes";

export const NOTES = token<NoteRepository>("notes");
