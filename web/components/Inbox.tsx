import type { InboxItem } from "../../worker/domain/notifications.ts";
import type { StaffTranslate } from "../i18n/index.ts";

/** What waits on the signed-in person, unread, newest first: the in-app side of notifications. */
export function Inbox(props: { t: StaffTranslate; csrf: string; items: readonly InboxItem[]; total: number }) {
  const { t, items, total } = props;
  return (
    <section aria-labelledby="inbox-title" class="panel inbox" data-testid="inbox" data-unread={total}>
      <h2 id="inbox-title">
        {t("inbox.title")} <span class="count">{t("inbox.unread", { count: total })}</span>
      </h2>
      {items.length === 0 ? (
        <p class="hint">{t("inbox.empty")}</p>
      ) : (
        <>
          <ul>
            {items.map((item) => (
              <li data-kind={item.kind}>
                <a href={`/review/${item.recId}`}>{item.reference}</a> · {t(`notice.${item.kind}`)} ·{" "}
                <time datetime={item.at}>{item.at.slice(0, 16).replace("T", " ")}</time>
              </li>
            ))}
          </ul>
          {total > items.length ? <p class="hint">{t("inbox.more", { count: total - items.length })}</p> : null}
          <form method="post" action="/review/inbox/read">
            <input type="hidden" name="_csrf" value={props.csrf} />
            <button type="submit" class="secondary">
              {t("inbox.mark_all")}
            </button>
          </form>
        </>
      )}
    </section>
  );
}
