"""A minimal python-telegram-bot bot doing what minyi does for `/suggest`, for the peer
benchmark (`cargo bench --bench peer`).

`/suggest <title>\n<body>`: the first line after the command is the title, the rest the
body (both trimmed, as minyi reads them); a missing title is refused with an answer. A
suggestion is filed in one SQLite transaction that takes the next number of the year from a
counter row and inserts the suggestion with it (`YYYY-NNNN`, gapless per year), the deputy's
Telegram id, title, body and time; then the sender is answered with the number.

Built as a typical PTB user builds a bot: `ApplicationBuilder`, a `CommandHandler`,
`run_polling`. SQLite as minyi opens it: WAL, synchronous=NORMAL, foreign keys on, a busy
timeout of 30 s, and `BEGIN IMMEDIATE` for the write.

Environment: PEER_TOKEN, PEER_API_URL (the Bot API's base, e.g. http://127.0.0.1:PORT/),
PEER_DB (the SQLite file), PEER_CONCURRENT (0: PTB's default, one update at a time; N > 0:
`concurrent_updates(N)`).
"""

import datetime
import logging
import os
import sqlite3

from telegram import Update
from telegram.ext import ApplicationBuilder, CommandHandler, ContextTypes

SCHEMA = """
CREATE TABLE IF NOT EXISTS counters (
    year INTEGER PRIMARY KEY,
    last INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS suggestions (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    deputy INTEGER NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    filed_at TEXT NOT NULL
);
"""

USAGE = "Usage: /suggest <title>, then the body on the next lines."


def open_db(path: str) -> sqlite3.Connection:
    # isolation_level=None: no implicit transactions; the filing says BEGIN IMMEDIATE itself.
    db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA foreign_keys=ON")
    db.execute("PRAGMA busy_timeout=30000")
    db.executescript(SCHEMA)
    return db


def title_and_body(text: str) -> tuple[str, str]:
    """The text after the command: its first line is the title, the rest the body."""
    text = text.strip()
    title, _, body = text.partition("\n")
    return title.strip(), body.strip()


def file_suggestion(db: sqlite3.Connection, deputy: int, title: str, body: str) -> str:
    """Files the suggestion in one transaction; returns its number."""
    now = datetime.datetime.now(datetime.timezone.utc)
    db.execute("BEGIN IMMEDIATE")
    try:
        (last,) = db.execute(
            "INSERT INTO counters (year, last) VALUES (?, 1) "
            "ON CONFLICT (year) DO UPDATE SET last = counters.last + 1 RETURNING last",
            (now.year,),
        ).fetchone()
        number = f"{now.year}-{last:04d}"
        db.execute(
            "INSERT INTO suggestions (number, deputy, title, body, filed_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (number, deputy, title, body, now.isoformat()),
        )
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    return number


def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    db = open_db(os.environ["PEER_DB"])
    api = os.environ["PEER_API_URL"].rstrip("/")
    concurrent = int(os.environ.get("PEER_CONCURRENT", "0"))

    async def suggest(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        command = message.entities[0]
        title, body = title_and_body(message.text[command.offset + command.length :])
        if not title:
            await message.reply_text(USAGE)
            return
        # No await between BEGIN and COMMIT: concurrent handlers cannot interleave inside it.
        number = file_suggestion(db, update.effective_user.id, title, body)
        await message.reply_text(f"Suggestion {number} filed: {title}")

    builder = (
        ApplicationBuilder()
        .token(os.environ["PEER_TOKEN"])
        .base_url(f"{api}/bot")
        .base_file_url(f"{api}/file/bot")
    )
    if concurrent > 0:
        builder = builder.concurrent_updates(concurrent)
    application = builder.build()
    application.add_handler(CommandHandler("suggest", suggest))
    application.run_polling(allowed_updates=Update.ALL_TYPES)


if __name__ == "__main__":
    main()
