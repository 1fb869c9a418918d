//! What the year's workbooks ([`super::deputies`], [`super::key`]) share with the ledger's
//! look: a named sheet, a bold header row frozen at the top, column widths, rows of
//! [`Cell`]s and an autofilter over the table. The ledger keeps its own writer, made for
//! many rows; these tables have a row a deputy or a key suggestion.

use rust_xlsxwriter::{Format, Worksheet, XlsxError};

pub use super::ledger::Cell;

/// A column: its header (already in the report's language) and its width in characters.
pub type Column = (String, f64);

/// A table being written into a sheet from its top-left corner.
pub struct Table<'a> {
    sheet: &'a mut Worksheet,
    columns: u16,
    /// The next row to write.
    row: u32,
    wrap: Format,
}

impl<'a> Table<'a> {
    /// Names the sheet and writes the header row: bold, frozen, with the columns' widths.
    pub fn start(
        sheet: &'a mut Worksheet,
        name: &str,
        columns: &[Column],
    ) -> Result<Table<'a>, XlsxError> {
        sheet.set_name(name)?;
        let bold = Format::new().set_bold();
        for (col, (header, width)) in columns.iter().enumerate() {
            let col = col as u16;
            sheet.write_string_with_format(0, col, header, &bold)?;
            sheet.set_column_width(col, *width)?;
        }
        sheet.set_freeze_panes(1, 0)?;
        Ok(Table {
            sheet,
            columns: columns.len() as u16,
            row: 1,
            wrap: Format::new().set_text_wrap(),
        })
    }

    /// One row of cells, in the columns' order. A text of several lines wraps in its cell.
    pub fn row(&mut self, cells: impl IntoIterator<Item = Cell>) -> Result<(), XlsxError> {
        for (col, cell) in cells.into_iter().enumerate() {
            let col = col as u16;
            match cell {
                Cell::Text(t) if t.contains('\n') => self
                    .sheet
                    .write_string_with_format(self.row, col, t, &self.wrap)?,
                Cell::Text(t) => self.sheet.write_string(self.row, col, t)?,
                Cell::Number(n) => self.sheet.write_number(self.row, col, n as f64)?,
                Cell::Empty => &mut *self.sheet,
            };
        }
        self.row += 1;
        Ok(())
    }

    /// The autofilter over the header and every row written; answers the sheet and its next
    /// free row (a line below the table, such as a summary, goes one row further down so
    /// sorting leaves it out).
    pub fn finish(self) -> Result<(&'a mut Worksheet, u32), XlsxError> {
        let last = self.row.saturating_sub(1);
        self.sheet.autofilter(0, 0, last, self.columns - 1)?;
        Ok((self.sheet, self.row))
    }
}
