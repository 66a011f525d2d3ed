//! Following pages: a lazy stream of the pages of a list, and of their items, that fetches
//! the next page only when the one before is used up.

use std::collections::{HashSet, VecDeque};
use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

use crate::error::Error;
use crate::request::Request;
use crate::response::Response;

/// How an operation's pages follow one another, in the styles Cloudflare's official SDKs
/// name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum PageStyle {
    /// `page` counts up from the page asked for (1 by default) until a page comes back
    /// empty; the items are the result (`V4PagePaginationArray`).
    Page,
    /// As [`Page`](PageStyle::Page), with the items in the result's `items`
    /// (`V4PagePagination`).
    PageItems,
    /// `cursor` is the previous page's `result_info.cursor` (`CursorPagination`).
    Cursor,
    /// `cursor` is the previous page's `result_info.cursors.after`
    /// (`CursorPaginationAfter`).
    CursorAfter,
    /// As [`Cursor`](PageStyle::Cursor), with the page size called `limit`
    /// (`CursorLimitPagination`).
    CursorLimit,
}

impl PageStyle {
    /// The query parameter that says which page to send.
    fn parameter(self) -> &'static str {
        match self {
            PageStyle::Page | PageStyle::PageItems => "page",
            PageStyle::Cursor | PageStyle::CursorAfter | PageStyle::CursorLimit => "cursor",
        }
    }
}

/// Implemented by the marker of each operation whose results come in pages (its request
/// is a `Request<T, Marker>`): how one page, a `T`, holds its items.
pub trait Paginated<T> {
    /// One item of a page.
    type Item;
    /// How pages follow one another.
    const STYLE: PageStyle;
    /// The items of `page`.
    fn items(page: T) -> Vec<Self::Item>;
}

impl<T, P> Request<T, P>
where
    T: Send + 'static,
    P: Paginated<T> + 'static,
{
    /// The pages of this list, from the one this request asks for, as a lazy stream: each
    /// page is fetched when the stream is polled past the previous one, and retried as any
    /// call is. Each page is a [`Response`] whose `result` is its items. The stream ends at
    /// the first empty page (or, for cursor styles, when there is no next cursor), and ends
    /// with [`Error::RepeatedCursor`] rather than loop when the server hands back a cursor
    /// it gave before.
    ///
    /// `next().await` needs no other crate; the stream is also a
    /// [`futures_core::Stream`] for the combinators of `futures`.
    pub fn pages(self) -> Pages<T, P> {
        let page = match P::STYLE {
            PageStyle::Page | PageStyle::PageItems => self
                .query_value(P::STYLE.parameter())
                .and_then(|page| page.parse().ok())
                .unwrap_or(1),
            _ => 1,
        };
        Pages {
            next: Some(self),
            in_flight: None,
            page,
            seen: HashSet::new(),
            pending_error: None,
        }
    }

    /// The items of this list, page after page, as a lazy stream (see
    /// [`pages`](Request::pages)).
    pub fn items(self) -> Items<T, P> {
        Items {
            pages: self.pages(),
            buffered: VecDeque::new(),
        }
    }
}

type PageFuture<T> = Pin<Box<dyn Future<Output = Result<Response<T>, Error>> + Send>>;

/// One page of items, or why there is none.
type PageOfItems<I> = Result<Response<Vec<I>>, Error>;

/// The pages of a list; see [`Request::pages`].
#[must_use = "a stream does nothing until it is polled"]
pub struct Pages<T, P> {
    /// The request for the next page, `None` once the last page is known.
    next: Option<Request<T, P>>,
    in_flight: Option<PageFuture<T>>,
    /// The page number the next request asks for (page styles).
    page: u64,
    /// The cursors followed so far (cursor styles).
    seen: HashSet<String>,
    /// Why the stream ends, reported after the page that made it so.
    pending_error: Option<Error>,
}

// Nothing in a `Pages` is pinned in place: the future in flight is boxed.
impl<T, P> Unpin for Pages<T, P> {}

impl<T, P> std::fmt::Debug for Pages<T, P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages")
            .field("next", &self.next)
            .field("in_flight", &self.in_flight.is_some())
            .finish_non_exhaustive()
    }
}

impl<T, P> Pages<T, P>
where
    T: Send + 'static,
    P: Paginated<T> + 'static,
{
    /// The next page, or `None` after the last one.
    pub async fn next(&mut self) -> Option<PageOfItems<P::Item>> {
        poll_fn(|cx| self.poll_page(cx)).await
    }

    fn poll_page(&mut self, cx: &mut Context<'_>) -> Poll<Option<PageOfItems<P::Item>>> {
        if let Some(error) = self.pending_error.take() {
            self.next = None;
            return Poll::Ready(Some(Err(error)));
        }
        let in_flight = match &mut self.in_flight {
            Some(in_flight) => in_flight,
            None => {
                let Some(template) = &self.next else {
                    return Poll::Ready(None);
                };
                let mut request = template.duplicate();
                if matches!(P::STYLE, PageStyle::Page | PageStyle::PageItems) {
                    request.set_query(P::STYLE.parameter(), self.page.to_string());
                }
                self.in_flight
                    .insert(Box::pin(request.send_with_response()))
            }
        };
        let Poll::Ready(result) = in_flight.as_mut().poll(cx) else {
            return Poll::Pending;
        };
        self.in_flight = None;
        let response = match result {
            Ok(response) => response,
            Err(error) => {
                // A page that failed after its retries ends the stream.
                self.next = None;
                return Poll::Ready(Some(Err(error)));
            }
        };
        let Response {
            status,
            headers,
            result,
            result_info,
            messages,
        } = response;
        let items = P::items(result);
        if items.is_empty() {
            self.next = None;
            return Poll::Ready(None);
        }
        self.follow(result_info.as_ref());
        Poll::Ready(Some(Ok(Response {
            status,
            headers,
            result: items,
            result_info,
            messages,
        })))
    }

    /// Points the next request at the page after the one that came with `result_info`.
    fn follow(&mut self, result_info: Option<&crate::response::ResultInfo>) {
        let cursor = match P::STYLE {
            PageStyle::Page | PageStyle::PageItems => {
                self.page = self.page.saturating_add(1);
                return;
            }
            PageStyle::Cursor | PageStyle::CursorLimit => {
                result_info.and_then(|info| info.cursor.clone())
            }
            PageStyle::CursorAfter => result_info
                .and_then(|info| info.cursors.as_ref())
                .and_then(|cursors| cursors.after.clone()),
        };
        match (cursor.filter(|cursor| !cursor.is_empty()), &mut self.next) {
            (Some(cursor), Some(next)) => {
                if self.seen.insert(cursor.clone()) {
                    next.set_query(P::STYLE.parameter(), cursor);
                } else {
                    self.pending_error = Some(Error::RepeatedCursor {
                        operation: next.operation_name(),
                    });
                }
            }
            _ => self.next = None,
        }
    }
}

impl<T, P> Stream for Pages<T, P>
where
    T: Send + 'static,
    P: Paginated<T> + 'static,
{
    type Item = PageOfItems<P::Item>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_page(cx)
    }
}

/// The items of a list, page after page; see [`Request::items`].
#[must_use = "a stream does nothing until it is polled"]
pub struct Items<T, P: Paginated<T>> {
    pages: Pages<T, P>,
    buffered: VecDeque<P::Item>,
}

// The buffered items are never pinned: they are handed out by value.
impl<T, P: Paginated<T>> Unpin for Items<T, P> {}

impl<T, P: Paginated<T>> std::fmt::Debug for Items<T, P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Items")
            .field("pages", &self.pages)
            .field("buffered", &self.buffered.len())
            .finish()
    }
}

impl<T, P> Items<T, P>
where
    T: Send + 'static,
    P: Paginated<T> + 'static,
{
    /// The next item, or `None` after the last one.
    pub async fn next(&mut self) -> Option<Result<P::Item, Error>> {
        poll_fn(|cx| self.poll_item(cx)).await
    }

    fn poll_item(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<P::Item, Error>>> {
        loop {
            if let Some(item) = self.buffered.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            match self.pages.poll_page(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(error))) => return Poll::Ready(Some(Err(error))),
                Poll::Ready(Some(Ok(page))) => self.buffered.extend(page.result),
            }
        }
    }
}

impl<T, P> Stream for Items<T, P>
where
    T: Send + 'static,
    P: Paginated<T> + 'static,
{
    type Item = Result<P::Item, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_item(cx)
    }
}
