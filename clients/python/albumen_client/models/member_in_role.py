from enum import StrEnum

class MemberInRole(StrEnum):
    COHOST = "cohost"
    CONTRIBUTOR = "contributor"
    VIEWER = "viewer"

    def __str__(self) -> str:
        return str(self.value)
