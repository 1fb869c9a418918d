//! The ledger from the repository into a file, in memory that does not grow with its rows
//! (a county's 1,000,000 suggestions as the ledger of their years): the rows come as the
//! database yields them ([`Repository::ledger_rows`]), a page at a time over a bounded
//! channel to a blocking thread that writes them ([`ledger::Sheet`] in constant memory mode,
//! or [`ledger::Csv`]) and at the end saves the file into the writer. At most three pages
//! are held (one being read, one in the channel, one being written). The command line, the
//! web's downloads and the monthly job all export through here.
//!
//! [`Repository::ledger_rows`]: crate::storage::Repository::ledger_rows

use std::io::Write;

use anyhow::Context;
use futures_util::TryStreamExt;
use futures_util::stream::BoxStream;
use tokio::sync::mpsc;

use super::{Setting, ledger, monthly};
use crate::storage::{LedgerRow, MonthlyStats, StoreError};

/// Rows handed from the reading side to the writing side at once.
const PAGE: usize = 1_000;

/// What is made of the ledger.
#[derive(Debug, Clone)]
pub enum LedgerFile {
    /// The ledger alone as .xlsx (`minyi export ledger -o FILE.xlsx`).
    Xlsx,
    /// The ledger alone as CSV (`minyi export ledger -o FILE.csv`).
    Csv,
    /// The monthly workbook: the ledger sheet, then the summary sheet of these figures for
    /// this month (`minyi report monthly --format xlsx`).
    Monthly(Box<MonthlyStats>, (i32, u32)),
}

/// Writes the rows as `file` into the writer `open` makes, and answers how many rows were
/// written and the writer, flushed. `open` is called once the first row (or the end) has
/// come, so an unknown org (the stream's first item) opens nothing; a database error later
/// leaves what was written so far (the command line writes beside the file and moves it
/// into place only when the export is whole). Errors from the repository are [`StoreError`]s inside
/// the `anyhow::Error`.
pub async fn export<W, F>(
    mut rows: BoxStream<'_, Result<LedgerRow, StoreError>>,
    file: LedgerFile,
    setting: Setting,
    open: F,
) -> anyhow::Result<(usize, W)>
where
    W: Write + Send + 'static,
    F: FnOnce() -> anyhow::Result<W> + Send + 'static,
{
    let first = rows.try_next().await?;
    // `None` is the end: the writer finishes the file only on it, so a read that failed
    // half-way is never saved as if it were the whole ledger.
    let (tx, mut rx) = mpsc::channel::<Option<Vec<LedgerRow>>>(1);
    let writer = tokio::task::spawn_blocking(move || -> anyhow::Result<(usize, W)> {
        let mut writer = Writer::open(file, setting, open()?)?;
        let mut count = 0;
        while let Some(page) = rx.blocking_recv() {
            let Some(page) = page else {
                return Ok((count, writer.finish()?));
            };
            count += page.len();
            writer.write(&page)?;
        }
        anyhow::bail!("the ledger's rows stopped before their end")
    });
    let read = async {
        let mut page = Vec::with_capacity(PAGE);
        page.extend(first);
        while let Some(row) = rows.try_next().await? {
            page.push(row);
            if page.len() == PAGE {
                let full = std::mem::replace(&mut page, Vec::with_capacity(PAGE));
                if tx.send(Some(full)).await.is_err() {
                    // The writer stopped: its error is the one to tell.
                    return Ok(());
                }
            }
        }
        if !page.is_empty() && tx.send(Some(page)).await.is_err() {
            return Ok(());
        }
        let _ = tx.send(None).await;
        Ok::<(), StoreError>(())
    }
    .await;
    drop(tx);
    let written = writer.await.context("the ledger's writer")?;
    read?;
    written
}

/// The file being written, on the blocking thread (each boxed: a workbook and a setting are
/// large beside a pointer).
enum Writer<W: Write> {
    Sheet {
        sheet: Box<ledger::Sheet>,
        /// The monthly workbook's summary, added after the ledger.
        summary: Option<(Box<MonthlyStats>, (i32, u32), Setting)>,
        out: W,
    },
    Csv(Box<ledger::Csv<W>>),
}

impl<W: Write + Send> Writer<W> {
    fn open(file: LedgerFile, setting: Setting, out: W) -> anyhow::Result<Writer<W>> {
        Ok(match file {
            LedgerFile::Csv => Writer::Csv(Box::new(ledger::Csv::new(out, setting)?)),
            LedgerFile::Xlsx => Writer::Sheet {
                sheet: Box::new(ledger::Sheet::new(setting)?),
                summary: None,
                out,
            },
            LedgerFile::Monthly(stats, month) => Writer::Sheet {
                sheet: Box::new(ledger::Sheet::new(setting.clone())?),
                summary: Some((stats, month, setting)),
                out,
            },
        })
    }

    fn write(&mut self, rows: &[LedgerRow]) -> anyhow::Result<()> {
        match self {
            Writer::Sheet { sheet, .. } => sheet.write(rows)?,
            Writer::Csv(csv) => csv.write(rows)?,
        }
        Ok(())
    }

    fn finish(self) -> anyhow::Result<W> {
        let mut out = match self {
            Writer::Sheet {
                sheet,
                summary,
                mut out,
            } => {
                let mut workbook = sheet.finish()?;
                if let Some((stats, month, setting)) = summary {
                    monthly::add_summary(&mut workbook, &stats, month, &setting)?;
                }
                workbook.save_to_writer(&mut out)?;
                out
            }
            Writer::Csv(csv) => csv.finish()?,
        };
        out.flush()?;
        Ok(out)
    }
}
