// Tags: the account's list of labels (the admin API and the Control Panel keep it), which
// operators put on chats from the console. A chat's tags are its ChatRoom's to hold; D1's
// chat_tags mirrors them for the History list and search filters. Tags are internal: visitors
// never see them. docs/admin-api.md ("Tags") and docs/protocol.md describe the same shapes.
import * as v from "valibot";
import { Id, named, singleLine, Timestamp } from "./protocol.ts";

export const MAX_TAG_NAME_LENGTH = 40;
/** Most tags one account may have: a list an operator can take in at a glance. */
export const MAX_TAGS_PER_ACCOUNT = 100;
/** Most tags on one chat. */
export const MAX_TAGS_PER_CHAT = 20;

export const Tag = named("Tag", v.object({ id: v.string(), name: v.string(), createdAt: Timestamp }));
export type Tag = v.InferOutput<typeof Tag>;

/** One line, trimmed, 1–40 characters. Unique in the account whatever the case ("VIP" and "vip"
 * are one tag), which the route checks against the account's other tags. */
const TagName = v.pipe(
  v.string("The tag name must be text."),
  singleLine("The tag name"),
  v.trim(),
  v.minLength(1, "The tag name cannot be empty."),
  v.maxLength(MAX_TAG_NAME_LENGTH, `A tag name can be at most ${MAX_TAG_NAME_LENGTH} characters long.`),
);
export const TagCreate = v.strictObject({ name: TagName });
export const TagUpdate = v.strictObject({ name: TagName });

/** `PUT /api/operator/chats/{chatId}/tags`: the chat's whole list of tags, replacing what it had
 * (an empty list takes them all off). An id sent twice counts once. */
export const ChatTagsRequest = v.strictObject({
  tagIds: v.pipe(
    v.array(Id, "tagIds is a list of tag ids."),
    v.maxLength(MAX_TAGS_PER_CHAT, `A chat can have at most ${MAX_TAGS_PER_CHAT} tags.`),
    v.transform((ids) => [...new Set(ids)]),
  ),
});
export type ChatTagsRequest = v.InferInput<typeof ChatTagsRequest>;
export type ChatTagsResponse = { chatId: string; tagIds: string[] };
/** `GET /api/operator/tags`: the account's tags, by name. */
export type TagsResponse = { tags: Tag[] };
