"""The collection and the wantlist: folders, instances, custom fields, value, wants.

Follows https://www.discogs.com/developers/#page:user-collection and
https://www.discogs.com/developers/#page:user-wantlist. Writes need the owner signed in:
another user's collection raises :class:`ForbiddenError` or :class:`AuthError`; a value Discogs
refuses raises :class:`ValidationError`; a write whose answer was lost raises
:class:`OutcomeUnknownError` (it may have been made).
"""

from __future__ import annotations

from discogs_tui.api.client._shared import MAX_PER_PAGE, Body, _body, _seg
from discogs_tui.api.client.core import ClientCore
from discogs_tui.models import Page
from discogs_tui.models.collection import (
    AddedInstance,
    CollectionItem,
    CollectionValue,
    CustomFieldList,
    Folder,
    FolderList,
    Want,
)


def _wantlist_changes(username: str) -> tuple[str, ...]:
    """The wantlist pages and the profile's ``num_wantlist``."""
    return (f"/users/{_seg(username)}/wants", f"/users/{_seg(username)}?")


class CollectionAPI(ClientCore):
    """A user's collection folders, the instances in them, their fields and value; the wantlist."""

    def _collection(self, username: str) -> str:
        return f"/users/{_seg(username)}/collection"

    def _instance(self, username: str, folder_id: int, release_id: int, instance_id: int) -> str:
        return (
            f"{self._collection(username)}/folders/{folder_id}/releases/{release_id}"
            f"/instances/{instance_id}"
        )

    def _collection_changes(self, username: str, release_id: int | None = None) -> tuple[str, ...]:
        # Folder lists and counts, every folder's items, the value, the profile's num_collection.
        base = self._collection(username)
        paths = [f"{base}/folders", f"{base}/value", f"/users/{_seg(username)}?"]
        if release_id is not None:
            paths.append(f"{base}/releases/{release_id}")
        else:
            paths.append(f"{base}/releases")
        return tuple(paths)

    # -- folders ---------------------------------------------------------------------------

    async def get_collection_folders(self, username: str) -> FolderList:
        """A user's collection folders (0 "All", 1 "Uncategorized", and their own).

        https://www.discogs.com/developers/#page:user-collection,header:user-collection-collection
        """
        return await self._get(FolderList, f"{self._collection(username)}/folders")

    async def create_collection_folder(self, username: str, *, name: str) -> Folder:
        """Create a folder named ``name``; the new folder (its ``id``, ``count`` 0).

        https://www.discogs.com/developers/#page:user-collection,header:user-collection-collection
        """
        path = f"{self._collection(username)}/folders"
        return await self._write_parsed(Folder, "POST", path, body=_body(name=name))

    async def get_collection_folder(self, username: str, folder_id: int) -> Folder:
        """One folder's metadata (``name``, ``count`` of items).

        https://www.discogs.com/developers/#page:user-collection,header:user-collection-collection-folder
        """
        return await self._get(Folder, f"{self._collection(username)}/folders/{folder_id}")

    async def update_collection_folder(self, username: str, folder_id: int, *, name: str) -> Folder:
        """Rename a folder (not 0 or 1: :class:`ValidationError`); the renamed folder.

        https://www.discogs.com/developers/#page:user-collection,header:user-collection-collection-folder
        """
        path = f"{self._collection(username)}/folders/{folder_id}"
        return await self._write_parsed(
            Folder,
            "POST",
            path,
            body=_body(name=name),
            invalidates=(f"{self._collection(username)}/folders",),
        )

    async def delete_collection_folder(self, username: str, folder_id: int) -> None:
        """Delete an empty folder (a folder with items: :class:`ValidationError`).

        https://www.discogs.com/developers/#page:user-collection,header:user-collection-collection-folder
        """
        await self._write(
            "DELETE",
            f"{self._collection(username)}/folders/{folder_id}",
            invalidates=(f"{self._collection(username)}/folders",),
        )

    # -- items and instances ---------------------------------------------------------------

    async def get_collection_items_by_release(
        self, username: str, release_id: int, *, page: int = 1, per_page: int = MAX_PER_PAGE
    ) -> Page[CollectionItem]:
        """One page of the instances of one release in a user's collection.

        https://www.discogs.com/developers/#page:user-collection,header:user-collection-collection-items-by-release
        """
        return await self._page(
            CollectionItem,
            "releases",
            f"{self._collection(username)}/releases/{release_id}",
            page=page,
            per_page=per_page,
        )

    async def get_collection_items_by_folder(
        self,
        username: str,
        folder_id: int,
        *,
        page: int = 1,
        per_page: int = MAX_PER_PAGE,
        sort: str | None = None,
        sort_order: str | None = None,
    ) -> Page[CollectionItem]:
        """One page of the items in a folder (folder 0 is the whole collection).

        https://www.discogs.com/developers/#page:user-collection,header:user-collection-collection-items-by-folder
        """
        return await self._page(
            CollectionItem,
            "releases",
            f"{self._collection(username)}/folders/{folder_id}/releases",
            page=page,
            per_page=per_page,
            params={"sort": sort, "sort_order": sort_order},
        )

    async def add_to_collection_folder(
        self, username: str, folder_id: int, release_id: int
    ) -> AddedInstance:
        """Add a release to a folder (not folder 0): the new instance (``instance_id``).

        https://www.discogs.com/developers/#page:user-collection,header:user-collection-add-to-collection-folder
        """
        path = f"{self._collection(username)}/folders/{folder_id}/releases/{release_id}"
        return await self._write_parsed(
            AddedInstance, "POST", path, invalidates=self._collection_changes(username, release_id)
        )

    async def _edit_instance(
        self, username: str, folder_id: int, release_id: int, instance_id: int, body: Body
    ) -> None:
        await self._write(
            "POST",
            self._instance(username, folder_id, release_id, instance_id),
            body=body,
            invalidates=self._collection_changes(username, release_id),
        )

    async def update_instance_rating(
        self, username: str, folder_id: int, release_id: int, instance_id: int, *, rating: int
    ) -> None:
        """Rate an instance 0 to 5 (0 clears it); ``folder_id`` is the folder it is in now.

        https://www.discogs.com/developers/#page:user-collection,header:user-collection-change-rating-of-release
        """
        await self._edit_instance(
            username, folder_id, release_id, instance_id, _body(rating=rating)
        )

    async def move_instance(
        self,
        username: str,
        folder_id: int,
        release_id: int,
        instance_id: int,
        *,
        to_folder_id: int,
    ) -> None:
        """Move an instance from folder ``folder_id`` to folder ``to_folder_id`` (not 0).

        The same Discogs operation as :meth:`update_instance_rating`, with ``folder_id``.
        https://www.discogs.com/developers/#page:user-collection,header:user-collection-change-rating-of-release
        """
        await self._edit_instance(
            username, folder_id, release_id, instance_id, _body(folder_id=to_folder_id)
        )

    async def remove_from_collection_folder(
        self, username: str, folder_id: int, release_id: int, instance_id: int
    ) -> None:
        """Remove an instance from the collection (answered 204).

        https://www.discogs.com/developers/#page:user-collection,header:user-collection-delete-instance-from-folder
        """
        await self._write(
            "DELETE",
            self._instance(username, folder_id, release_id, instance_id),
            invalidates=self._collection_changes(username, release_id),
        )

    async def update_instance_field(
        self,
        username: str,
        folder_id: int,
        release_id: int,
        instance_id: int,
        field_id: int,
        *,
        value: str,
    ) -> None:
        """Set custom field ``field_id`` (e.g. notes, a dropdown's choice) of an instance.

        Discogs takes ``value`` as a query parameter, not in a body.
        https://www.discogs.com/developers/#page:user-collection,header:user-collection-edit-fields-instance
        """
        await self._write(
            "POST",
            f"{self._instance(username, folder_id, release_id, instance_id)}/fields/{field_id}",
            params={"value": value},
            invalidates=self._collection_changes(username, release_id),
        )

    async def get_custom_fields(self, username: str) -> CustomFieldList:
        """The user's custom collection fields (dropdowns and text areas).

        https://www.discogs.com/developers/#page:user-collection,header:user-collection-list-custom-fields
        """
        return await self._get(CustomFieldList, f"{self._collection(username)}/fields")

    async def get_collection_value(self, username: str) -> CollectionValue:
        """Minimum, median and maximum value of the collection, as formatted strings.

        https://www.discogs.com/developers/#page:user-collection,header:user-collection-collection-value
        """
        return await self._get(CollectionValue, f"{self._collection(username)}/value")

    # -- wantlist --------------------------------------------------------------------------

    async def get_wantlist(
        self, username: str, *, page: int = 1, per_page: int = MAX_PER_PAGE
    ) -> Page[Want]:
        """One page of a user's wantlist.

        https://www.discogs.com/developers/#page:user-wantlist,header:user-wantlist-wantlist
        """
        return await self._page(
            Want, "wants", f"/users/{_seg(username)}/wants", page=page, per_page=per_page
        )

    async def _send_want(
        self, method: str, username: str, release_id: int, notes: str | None, rating: int | None
    ) -> Want:
        path = f"/users/{_seg(username)}/wants/{release_id}"
        return await self._write_parsed(
            Want,
            method,
            path,
            body=_body(notes=notes, rating=rating),
            invalidates=_wantlist_changes(username),
        )

    async def add_to_wantlist(
        self, username: str, release_id: int, *, notes: str | None = None, rating: int | None = None
    ) -> Want:
        """Add a release to the wantlist, with ``notes`` and a ``rating`` 0 to 5; the want.

        https://www.discogs.com/developers/#page:user-wantlist,header:user-wantlist-add-to-wantlist
        """
        return await self._send_want("PUT", username, release_id, notes, rating)

    async def update_want(
        self, username: str, release_id: int, *, notes: str | None = None, rating: int | None = None
    ) -> Want:
        """Edit a want's ``notes`` or ``rating`` (``None`` keeps it); the edited want.

        https://www.discogs.com/developers/#page:user-wantlist,header:user-wantlist-add-to-wantlist
        """
        return await self._send_want("POST", username, release_id, notes, rating)

    async def remove_from_wantlist(self, username: str, release_id: int) -> None:
        """Remove a release from the wantlist (answered 204).

        https://www.discogs.com/developers/#page:user-wantlist,header:user-wantlist-add-to-wantlist
        """
        await self._write(
            "DELETE",
            f"/users/{_seg(username)}/wants/{release_id}",
            invalidates=_wantlist_changes(username),
        )
