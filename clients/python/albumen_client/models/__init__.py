""" Contains all the data models used in inputs/outputs """

from .album_in import AlbumIn
from .album_out import AlbumOut
from .album_patch import AlbumPatch
from .analytics_assets_export_fmt import AnalyticsAssetsExportFmt
from .analytics_event_anomalies_response_200_item import AnalyticsEventAnomaliesResponse200Item
from .analytics_event_chart_fmt import AnalyticsEventChartFmt
from .analytics_event_chart_name import AnalyticsEventChartName
from .analytics_event_export_fmt import AnalyticsEventExportFmt
from .analytics_event_forecast_metric import AnalyticsEventForecastMetric
from .analytics_event_forecast_response_analytics_event_forecast import AnalyticsEventForecastResponseAnalyticsEventForecast
from .analytics_event_response_analytics_event import AnalyticsEventResponseAnalyticsEvent
from .analytics_event_segments_response_analytics_event_segments import AnalyticsEventSegmentsResponseAnalyticsEventSegments
from .analytics_event_series_bucket import AnalyticsEventSeriesBucket
from .analytics_event_series_metric import AnalyticsEventSeriesMetric
from .analytics_event_series_response_200_item import AnalyticsEventSeriesResponse200Item
from .analytics_instance_forecast_metric import AnalyticsInstanceForecastMetric
from .analytics_instance_forecast_response_analytics_instance_forecast import AnalyticsInstanceForecastResponseAnalyticsInstanceForecast
from .analytics_instance_response_analytics_instance import AnalyticsInstanceResponseAnalyticsInstance
from .analytics_instance_segments_response_analytics_instance_segments import AnalyticsInstanceSegmentsResponseAnalyticsInstanceSegments
from .api_key_in import ApiKeyIn
from .api_key_out import ApiKeyOut
from .asset_change import AssetChange
from .asset_change_tier_type_0 import AssetChangeTierType0
from .asset_detail import AssetDetail
from .asset_detail_metadata_raw_type_0 import AssetDetailMetadataRawType0
from .asset_detail_screening_type_0 import AssetDetailScreeningType0
from .asset_ids import AssetIds
from .asset_links import AssetLinks
from .asset_out import AssetOut
from .asset_out_screening_type_0 import AssetOutScreeningType0
from .asset_page import AssetPage
from .asset_place import AssetPlace
from .asset_text import AssetText
from .assets_download_format import AssetsDownloadFormat
from .assets_export_copy_format import AssetsExportCopyFormat
from .assets_upload_body import AssetsUploadBody
from .attempt_out import AttemptOut
from .audit_out import AuditOut
from .audit_out_details_type_0 import AuditOutDetailsType0
from .batch_in import BatchIn
from .body_auth_token import BodyAuthToken
from .bucket_out import BucketOut
from .built import Built
from .changed import Changed
from .classified import Classified
from .classifier_out import ClassifierOut
from .collection_in import CollectionIn
from .collection_out import CollectionOut
from .collection_patch import CollectionPatch
from .comment_in import CommentIn
from .comment_out import CommentOut
from .comments_react_kind import CommentsReactKind
from .comments_unreact_kind import CommentsUnreactKind
from .credentials import Credentials
from .decided import Decided
from .decision import Decision
from .decision_decision import DecisionDecision
from .delivery_detail import DeliveryDetail
from .delivery_out import DeliveryOut
from .delivery_page import DeliveryPage
from .document_out import DocumentOut
from .documents_classify_json_text_in import DocumentsClassifyJsonTextIn
from .dropped_line_out import DroppedLineOut
from .duplicate_group import DuplicateGroup
from .duplicate_out import DuplicateOut
from .error_body import ErrorBody
from .error_body_details import ErrorBodyDetails
from .error_response import ErrorResponse
from .event_in import EventIn
from .event_out import EventOut
from .event_out_counts import EventOutCounts
from .event_patch import EventPatch
from .event_pick_out import EventPickOut
from .event_type import EventType
from .export_out import ExportOut
from .export_out_failed_item import ExportOutFailedItem
from .face_out import FaceOut
from .face_out_box import FaceOutBox
from .face_patch import FacePatch
from .facet import Facet
from .grid_item import GridItem
from .grid_page import GridPage
from .grid_page_facets import GridPageFacets
from .guest_asset import GuestAsset
from .guest_asset_links import GuestAssetLinks
from .guest_in import GuestIn
from .guest_out import GuestOut
from .guest_page import GuestPage
from .guest_recommendation import GuestRecommendation
from .guest_recommendation_source import GuestRecommendationSource
from .guest_upload import GuestUpload
from .guest_upload_status import GuestUploadStatus
from .guests_guest_react_kind import GuestsGuestReactKind
from .guests_guest_unreact_kind import GuestsGuestUnreactKind
from .guests_qr_code_fmt import GuestsQrCodeFmt
from .guests_selfie_search_body import GuestsSelfieSearchBody
from .guests_upload_body import GuestsUploadBody
from .health_live_response_health_live import HealthLiveResponseHealthLive
from .highlight import Highlight
from .highlight_album import HighlightAlbum
from .hit import Hit
from .http_validation_error import HTTPValidationError
from .keyword_out import KeywordOut
from .link_in import LinkIn
from .link_out import LinkOut
from .link_patch import LinkPatch
from .load_error import LoadError
from .location import Location
from .me import Me
from .member_in import MemberIn
from .member_in_role import MemberInRole
from .member_out import MemberOut
from .memory_detail import MemoryDetail
from .memory_detail_kind import MemoryDetailKind
from .memory_out import MemoryOut
from .memory_out_kind import MemoryOutKind
from .merge_in import MergeIn
from .model_info import ModelInfo
from .model_info_kind import ModelInfoKind
from .model_info_packages import ModelInfoPackages
from .models_out import ModelsOut
from .models_out_detail import ModelsOutDetail
from .moment_out import MomentOut
from .moved import Moved
from .near_duplicate import NearDuplicate
from .near_duplicates import NearDuplicates
from .near_in import NearIn
from .new_api_key import NewApiKey
from .new_link import NewLink
from .new_person import NewPerson
from .new_user import NewUser
from .page_out import PageOut
from .password_change import PasswordChange
from .password_in import PasswordIn
from .password_reset import PasswordReset
from .people_geojson_response_people_geojson import PeopleGeojsonResponsePeopleGeojson
from .people_recluster_response_people_recluster import PeopleReclusterResponsePeopleRecluster
from .person_in_photo import PersonInPhoto
from .person_out import PersonOut
from .person_patch import PersonPatch
from .place_out import PlaceOut
from .process_info import ProcessInfo
from .queued import Queued
from .ranked import Ranked
from .reactions import Reactions
from .reactions_counts import ReactionsCounts
from .recommendation_out import RecommendationOut
from .recommendation_out_source import RecommendationOutSource
from .refresh_in import RefreshIn
from .refusal import Refusal
from .related_event_out import RelatedEventOut
from .related_out import RelatedOut
from .related_out_signals import RelatedOutSignals
from .report_in import ReportIn
from .report_in_kind import ReportInKind
from .report_out import ReportOut
from .resolve import Resolve
from .retry_in import RetryIn
from .rule_in import RuleIn
from .rule_in_algorithm import RuleInAlgorithm
from .rule_out import RuleOut
from .rule_out_algorithm import RuleOutAlgorithm
from .scored_asset import ScoredAsset
from .search_in import SearchIn
from .search_page import SearchPage
from .search_page_facets import SearchPageFacets
from .selfie_match import SelfieMatch
from .selfie_match_links import SelfieMatchLinks
from .selfie_result import SelfieResult
from .setup_state import SetupState
from .share_info import ShareInfo
from .share_info_kind import ShareInfoKind
from .sign_in import SignIn
from .signed import Signed
from .source_out import SourceOut
from .stage_error import StageError
from .stage_out import StageOut
from .stage_use import StageUse
from .status_status_response_status_status import StatusStatusResponseStatusStatus
from .tag_out import TagOut
from .text_line_out import TextLineOut
from .tier_in import TierIn
from .tier_in_tier import TierInTier
from .tier_out import TierOut
from .tier_out_tier import TierOutTier
from .tier_rule import TierRule
from .tier_rule_tier import TierRuleTier
from .token_out import TokenOut
from .training_out import TrainingOut
from .trashed import Trashed
from .upload_in import UploadIn
from .upload_result import UploadResult
from .upload_result_status import UploadResultStatus
from .upload_session import UploadSession
from .user_out import UserOut
from .user_patch import UserPatch
from .validation_error import ValidationError
from .validation_error_context import ValidationErrorContext
from .video_out import VideoOut
from .web_copy_out import WebCopyOut
from .web_login import WebLogin
from .webhook_in import WebhookIn
from .webhook_out import WebhookOut
from .webhook_patch import WebhookPatch
from .webhook_with_secret import WebhookWithSecret
from .weight_file import WeightFile

__all__ = (
    "AlbumIn",
    "AlbumOut",
    "AlbumPatch",
    "AnalyticsAssetsExportFmt",
    "AnalyticsEventAnomaliesResponse200Item",
    "AnalyticsEventChartFmt",
    "AnalyticsEventChartName",
    "AnalyticsEventExportFmt",
    "AnalyticsEventForecastMetric",
    "AnalyticsEventForecastResponseAnalyticsEventForecast",
    "AnalyticsEventResponseAnalyticsEvent",
    "AnalyticsEventSegmentsResponseAnalyticsEventSegments",
    "AnalyticsEventSeriesBucket",
    "AnalyticsEventSeriesMetric",
    "AnalyticsEventSeriesResponse200Item",
    "AnalyticsInstanceForecastMetric",
    "AnalyticsInstanceForecastResponseAnalyticsInstanceForecast",
    "AnalyticsInstanceResponseAnalyticsInstance",
    "AnalyticsInstanceSegmentsResponseAnalyticsInstanceSegments",
    "ApiKeyIn",
    "ApiKeyOut",
    "AssetChange",
    "AssetChangeTierType0",
    "AssetDetail",
    "AssetDetailMetadataRawType0",
    "AssetDetailScreeningType0",
    "AssetIds",
    "AssetLinks",
    "AssetOut",
    "AssetOutScreeningType0",
    "AssetPage",
    "AssetPlace",
    "AssetsDownloadFormat",
    "AssetsExportCopyFormat",
    "AssetsUploadBody",
    "AssetText",
    "AttemptOut",
    "AuditOut",
    "AuditOutDetailsType0",
    "BatchIn",
    "BodyAuthToken",
    "BucketOut",
    "Built",
    "Changed",
    "Classified",
    "ClassifierOut",
    "CollectionIn",
    "CollectionOut",
    "CollectionPatch",
    "CommentIn",
    "CommentOut",
    "CommentsReactKind",
    "CommentsUnreactKind",
    "Credentials",
    "Decided",
    "Decision",
    "DecisionDecision",
    "DeliveryDetail",
    "DeliveryOut",
    "DeliveryPage",
    "DocumentOut",
    "DocumentsClassifyJsonTextIn",
    "DroppedLineOut",
    "DuplicateGroup",
    "DuplicateOut",
    "ErrorBody",
    "ErrorBodyDetails",
    "ErrorResponse",
    "EventIn",
    "EventOut",
    "EventOutCounts",
    "EventPatch",
    "EventPickOut",
    "EventType",
    "ExportOut",
    "ExportOutFailedItem",
    "FaceOut",
    "FaceOutBox",
    "FacePatch",
    "Facet",
    "GridItem",
    "GridPage",
    "GridPageFacets",
    "GuestAsset",
    "GuestAssetLinks",
    "GuestIn",
    "GuestOut",
    "GuestPage",
    "GuestRecommendation",
    "GuestRecommendationSource",
    "GuestsGuestReactKind",
    "GuestsGuestUnreactKind",
    "GuestsQrCodeFmt",
    "GuestsSelfieSearchBody",
    "GuestsUploadBody",
    "GuestUpload",
    "GuestUploadStatus",
    "HealthLiveResponseHealthLive",
    "Highlight",
    "HighlightAlbum",
    "Hit",
    "HTTPValidationError",
    "KeywordOut",
    "LinkIn",
    "LinkOut",
    "LinkPatch",
    "LoadError",
    "Location",
    "Me",
    "MemberIn",
    "MemberInRole",
    "MemberOut",
    "MemoryDetail",
    "MemoryDetailKind",
    "MemoryOut",
    "MemoryOutKind",
    "MergeIn",
    "ModelInfo",
    "ModelInfoKind",
    "ModelInfoPackages",
    "ModelsOut",
    "ModelsOutDetail",
    "MomentOut",
    "Moved",
    "NearDuplicate",
    "NearDuplicates",
    "NearIn",
    "NewApiKey",
    "NewLink",
    "NewPerson",
    "NewUser",
    "PageOut",
    "PasswordChange",
    "PasswordIn",
    "PasswordReset",
    "PeopleGeojsonResponsePeopleGeojson",
    "PeopleReclusterResponsePeopleRecluster",
    "PersonInPhoto",
    "PersonOut",
    "PersonPatch",
    "PlaceOut",
    "ProcessInfo",
    "Queued",
    "Ranked",
    "Reactions",
    "ReactionsCounts",
    "RecommendationOut",
    "RecommendationOutSource",
    "RefreshIn",
    "Refusal",
    "RelatedEventOut",
    "RelatedOut",
    "RelatedOutSignals",
    "ReportIn",
    "ReportInKind",
    "ReportOut",
    "Resolve",
    "RetryIn",
    "RuleIn",
    "RuleInAlgorithm",
    "RuleOut",
    "RuleOutAlgorithm",
    "ScoredAsset",
    "SearchIn",
    "SearchPage",
    "SearchPageFacets",
    "SelfieMatch",
    "SelfieMatchLinks",
    "SelfieResult",
    "SetupState",
    "ShareInfo",
    "ShareInfoKind",
    "Signed",
    "SignIn",
    "SourceOut",
    "StageError",
    "StageOut",
    "StageUse",
    "StatusStatusResponseStatusStatus",
    "TagOut",
    "TextLineOut",
    "TierIn",
    "TierInTier",
    "TierOut",
    "TierOutTier",
    "TierRule",
    "TierRuleTier",
    "TokenOut",
    "TrainingOut",
    "Trashed",
    "UploadIn",
    "UploadResult",
    "UploadResultStatus",
    "UploadSession",
    "UserOut",
    "UserPatch",
    "ValidationError",
    "ValidationErrorContext",
    "VideoOut",
    "WebCopyOut",
    "WebhookIn",
    "WebhookOut",
    "WebhookPatch",
    "WebhookWithSecret",
    "WebLogin",
    "WeightFile",
)
