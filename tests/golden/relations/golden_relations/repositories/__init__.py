# generated from schema.yaml — do not edit

"""One typed repository class per table of schema.yaml, sync and async."""

from golden_relations.repositories.comments import AsyncCommentRepository, CommentRepository
from golden_relations.repositories.post_tags import AsyncPostTagRepository, PostTagRepository
from golden_relations.repositories.posts import AsyncPostRepository, PostRepository
from golden_relations.repositories.profiles import AsyncProfileRepository, ProfileRepository
from golden_relations.repositories.sync_state import AsyncSyncStateRepository, SyncStateRepository
from golden_relations.repositories.tags import AsyncTagRepository, TagRepository
from golden_relations.repositories.users import AsyncUserRepository, UserRepository

__all__ = [
    "AsyncCommentRepository",
    "AsyncPostRepository",
    "AsyncPostTagRepository",
    "AsyncProfileRepository",
    "AsyncSyncStateRepository",
    "AsyncTagRepository",
    "AsyncUserRepository",
    "CommentRepository",
    "PostRepository",
    "PostTagRepository",
    "ProfileRepository",
    "SyncStateRepository",
    "TagRepository",
    "UserRepository",
]
